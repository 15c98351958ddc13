import type { Command } from 'commander';

/** Every CLI command registers itself on the program; add one line per command file. */
export const CLI_COMMANDS: ((program: Command) => void)[] = [];
