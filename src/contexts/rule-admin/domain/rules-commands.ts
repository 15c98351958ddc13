/** The journal's command types of rule administration (ADR 0012: `<CONTEXT>_COMMANDS`). */
export const RULES_COMMANDS = {
  publish: 'rules.publish',
} as const;
