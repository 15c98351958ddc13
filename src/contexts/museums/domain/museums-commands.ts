/** The journal's command types of the museums context (ADR 0012: `<CONTEXT>_COMMANDS`, one table per context). */
export const MUSEUMS_COMMANDS = {
  book: 'museums.book',
  cancel: 'museums.cancel',
  /** A card at a museum gate (idempotent per tapId). */
  tap: 'museums.tap',
  countNoShow: 'museums.count-no-show',
  configureMuseum: 'museums.configure-museum',
} as const;
