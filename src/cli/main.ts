import 'reflect-metadata';
import { Command } from 'commander';
import { CLI_COMMANDS } from './commands.js';

/**
 * `onecard <command>`: the operator's command line (npm scripts call it: `npm run sign`,
 * `npm run seed`, `npm run verify-ledger`, …). Each command lives in its own file under commands/.
 */
const program = new Command('onecard').description('onecard service tools').showHelpAfterError();
for (const register of CLI_COMMANDS) register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
