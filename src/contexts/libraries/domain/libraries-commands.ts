/** The journal's command types of the libraries context (ADR 0012: `<CONTEXT>_COMMANDS`, one table per context). */
export const LIBRARIES_COMMANDS = {
  loan: 'libraries.loan',
  return: 'libraries.return',
  renewal: 'libraries.renewal',
  finePayment: 'libraries.fine-payment',
  addItem: 'libraries.add-item',
} as const;
