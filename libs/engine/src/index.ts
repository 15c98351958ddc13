/**
 * The command engine (ADR 0012): every context's commands run through `CommandExecutor.run(plan)`
 * — declared reads with BEGIN, a decision in memory, deferred writes and the ledger's record with
 * COMMIT, batched with other commands whose keys differ.
 */
export { EngineModule } from './engine.module.js';
export { CommandExecutor, DEFAULT_ENGINE_OPTIONS, ENGINE_OPTIONS, type CommitEvent, type EngineOptions } from './command-executor.js';
export { CommandTx, UndeclaredReadError } from './command-tx.js';
export { PlannedCommandHandler } from './planned-command-handler.js';
export { read, type Read } from './read.js';
export {
  commandKey,
  COMMAND_ID_PATTERN,
  COMMAND_TYPE_PATTERN,
  type CommandEnvelope,
  type CommandOutcome,
  type CommandPlan,
  type CommandResult,
  type Facts,
  type Reads,
} from './command.js';
export type { BatchOptions } from './batch-scheduler.js';
export { batchedInsert, batchedRead } from './pg/batch-sql.js';
export { sqlValue } from './pg/literals.js';
