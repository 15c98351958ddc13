import { Global, Module } from '@nestjs/common';
import { JournalReader } from './journal-reader.js';
import { LedgerAccounts } from './ledger-accounts.js';
import { LedgerDigest } from './verification/ledger-digest.js';
import { LedgerVerifier } from './verification/ledger-verifier.js';

/** The ledger's readers and the auditor's tools (commands write through `@onecard/engine`). */
@Global()
@Module({
  providers: [JournalReader, LedgerAccounts, LedgerVerifier, LedgerDigest],
  exports: [JournalReader, LedgerAccounts, LedgerVerifier, LedgerDigest],
})
export class LedgerModule {}
