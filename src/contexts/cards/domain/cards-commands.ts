/** The journal's command types of the cards context (ADR 0012: `<CONTEXT>_COMMANDS`, one table per context). */
export const CARDS_COMMANDS = {
  issue: 'cards.issue',
  changeStatus: 'cards.change-status',
  replace: 'cards.replace',
  topUp: 'cards.top-up',
  bulkTopUp: 'cards.bulk-top-up',
  issueMedicalCode: 'cards.issue-medical-code',
} as const;
