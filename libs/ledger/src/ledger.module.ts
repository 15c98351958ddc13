import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CommandExecutor, DEFAULT_LEDGER_OPTIONS, LEDGER_OPTIONS, type LedgerOptions } from './command-executor.js';
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
export class LedgerModule {
  /** The module with its options (group commit); without `forRoot` the defaults apply. */
  static forRoot(options: LedgerOptions = DEFAULT_LEDGER_OPTIONS): DynamicModule {
    return { module: LedgerModule, providers: [{ provide: LEDGER_OPTIONS, useValue: options }], exports: [LEDGER_OPTIONS] };
  }
}
