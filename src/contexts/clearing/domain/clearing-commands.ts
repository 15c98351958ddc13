/** The journal's command types of the clearing context (ADR 0012: `<CONTEXT>_COMMANDS`, one table per context). */
export const CLEARING_COMMANDS = {
  /** The close of a business day (id: the date), its statement chained and its nets posted. */
  closeDay: 'clearing.close-day',
  /** A region's confirmation that it paid or received a statement's position (id: `<statementId>:<region>`). */
  settlement: 'clearing.settlement',
  /** A home region's payment of a top-up call into its prepayment (id: the call). */
  topUpPayment: 'clearing.top-up-payment',
} as const;
