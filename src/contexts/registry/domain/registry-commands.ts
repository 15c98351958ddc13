/** The journal's command types of the registry context (ADR 0012: `<CONTEXT>_COMMANDS`). */
export const REGISTRY_COMMANDS = {
  registerTerminal: 'registry.register-terminal',
  setTerminalStatus: 'registry.set-terminal-status',
} as const;
