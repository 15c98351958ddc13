/** The journal's command types of the scenic context (ADR 0012: `<CONTEXT>_COMMANDS`, one table per context). */
export const SCENIC_COMMANDS = {
  /** A tap at a scenic spot's gate (idempotent per tapId). */
  tap: 'scenic.tap',
  buyAnnualPass: 'scenic.buy-annual-pass',
  configureSpot: 'scenic.configure-spot',
} as const;
