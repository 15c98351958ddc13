export { LedgerModule } from './ledger.module.js';
export {
  CommandExecutor,
  DEFAULT_LEDGER_OPTIONS,
  LEDGER_OPTIONS,
  LEDGER_REFUSAL_SQLSTATE,
  type CommitReceipt,
  type ExecuteOptions,
  type LedgerOptions,
} from './command-executor.js';
export { CommandTx, lockedBalancesQuery, prefetch, type Prefetch } from './command-tx.js';
export { JournalReader, toJournalRecord, type JournalRecord } from './journal-reader.js';
export { LedgerAccounts, AccountSpecConflictError, type LedgerAccount } from './ledger-accounts.js';
export { LedgerVerifier, type VerificationProgress, type VerificationResult, type VerifyOptions } from './verification/ledger-verifier.js';
export { LedgerDigest, type DigestHead } from './verification/ledger-digest.js';
export { commandKey, type CommandEnvelope, type CommandOutcome, type CommandResult } from './command.js';
export { openAccountsSql } from './accounts.sql.js';
export {
  ACCOUNT_CODE_PATTERN,
  InvalidTransferError,
  LEDGER_REASONS,
  reverseLegs,
  validateLegs,
  type AccountSpec,
  type AlreadyReversed,
  type BalanceRule,
  type Leg,
  type LedgerReasonCode,
  type LedgerRefusal,
} from './domain/transfer.js';
export * from './domain/chain-hash.js';
export {
  LedgerAudit,
  type BalanceRow,
  type ChainSummary,
  type DigestEntry,
  type EntryRow,
  type JournalRow,
  type LedgerBreak,
  type LedgerCheck,
  type LedgerTable,
} from './domain/ledger-audit.js';
export { Ledger1796001000000, CHAIN_COUNT } from './migrations/1796001000000-Ledger.js';
export { LedgerReadViews1796012000000 } from './migrations/1796012000000-LedgerReadViews.js';
