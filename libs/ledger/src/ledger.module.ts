import { Global, Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor.js';
import { JournalReader } from './journal-reader.js';

/** The ledger and command journal every context writes through. */
@Global()
@Module({
  providers: [CommandExecutor, JournalReader],
  exports: [CommandExecutor, JournalReader],
})
export class LedgerModule {}
