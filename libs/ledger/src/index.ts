export { LedgerModule } from './ledger.module.js';
export { CommandExecutor } from './command-executor.js';
export { CommandTx } from './command-tx.js';
export { JournalReader, type JournalRecord } from './journal-reader.js';
export { commandKey, type CommandEnvelope, type CommandOutcome, type CommandResult } from './command.js';
export { openAccountsSql } from './accounts.sql.js';
export {
  ACCOUNT_CODE_PATTERN,
  InvalidTransferError,
  validateLegs,
  type AccountSpec,
  type BalanceRule,
  type Leg,
  type LedgerRefusal,
} from './domain/transfer.js';
export * from './domain/chain-hash.js';
export { Ledger1796001000000, CHAIN_COUNT } from './migrations/1796001000000-Ledger.js';
