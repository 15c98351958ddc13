/**
 * The ledger (ADR 0003, ADR 0004): accounts, double-entry transfers, the hash-chained command
 * journal, its set-based commit and claims (used by the command engine, `@onecard/engine`), the
 * reads a command may declare on it, and the auditor's verification and digests.
 */
export { LedgerModule } from './ledger.module.js';

/**
 * What SQL outside the ledger may name (ADR 0012): views and functions, never the tables. A
 * context's own SQL interpolates these names; the architecture test checks that nothing else of
 * the ledger schema appears in a context's SQL, and that each name is a view or a function.
 */
export const LEDGER_SQL = {
  /** The journal as readers see it: one row per command. */
  records: 'ledger.records',
  /** Every entry with the command of its record (`command_type`, `command_id`, times). */
  entries: 'ledger.entry_journal',
  /** Every entry with its command and its account's kind and region (clearing, revenue). */
  postings: 'ledger.postings',
  /** Accounts with balances summed over shards. */
  accountBalances: 'ledger.account_balances',
  /** `ledger.lock_balances(codes)`: single-shard balances locked in code order (as `LedgerReads.lockedBalances`). */
  lockBalances: 'ledger.lock_balances',
} as const;
export { JournalReader, toJournalRecord, type JournalRecord } from './journal-reader.js';
export { LedgerAccounts, AccountSpecConflictError, type LedgerAccount } from './ledger-accounts.js';
export { LedgerVerifier, type VerificationProgress, type VerificationResult, type VerifyOptions } from './verification/ledger-verifier.js';
export { LedgerDigest, type DigestHead } from './verification/ledger-digest.js';
export { openAccountsSql } from './accounts.sql.js';
export {
  batchRefusalOf,
  claimCommandsStatement,
  commitBatchStatement,
  LEDGER_REFUSAL_SQLSTATE,
  storedResults,
  type BatchRefusal,
  type JournalInput,
  type LedgerStatement,
  type StoredResult,
} from './journal-commit.js';
export { compactDetails, expandDetails } from './journal-details.js';
export { LedgerReads, openAccountsWrite, type LedgerRead, type ReversalFacts } from './ledger-reads.js';
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
export { LedgerBatch1796010000000 } from './migrations/1796010000000-LedgerBatch.js';
export { LedgerReadViews1796012000000 } from './migrations/1796012000000-LedgerReadViews.js';
