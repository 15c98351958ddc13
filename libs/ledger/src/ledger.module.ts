import { Global, Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor.js';
import { JournalReader } from './journal-reader.js';
import { LedgerAccounts } from './ledger-accounts.js';
import { LedgerDigest } from './verification/ledger-digest.js';
import { LedgerVerifier } from './verification/ledger-verifier.js';

/** The ledger and command journal every context writes through, and the auditor's tools. */
@Global()
@Module({
  providers: [CommandExecutor, JournalReader, LedgerAccounts, LedgerVerifier, LedgerDigest],
  exports: [CommandExecutor, JournalReader, LedgerAccounts, LedgerVerifier, LedgerDigest],
})
export class LedgerModule {}
