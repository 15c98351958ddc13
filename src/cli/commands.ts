import type { Command } from 'commander';
import { registerClearingCloseCommand } from './commands/clearing-close.js';
import { registerMuseumsCountNoShowsCommand } from './commands/museums-count-no-shows.js';
import { registerSeedCommand } from './commands/seed.js';
import { registerSignCommand } from './commands/sign.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerTransitChargeIncompleteCommand } from './commands/transit-charge-incomplete.js';
import { registerVerifyLedgerCommand } from './commands/verify-ledger.js';

/** Every CLI command registers itself on the program; add one line per command file. */
export const CLI_COMMANDS: ((program: Command) => void)[] = [
  registerSeedCommand,
  registerSignCommand,
  registerSimulateCommand,
  registerVerifyLedgerCommand,
  registerTransitChargeIncompleteCommand,
  registerMuseumsCountNoShowsCommand,
  registerClearingCloseCommand,
];
