import { Global, Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor.js';

/** The ledger and command journal every context writes through. */
@Global()
@Module({
  providers: [CommandExecutor],
  exports: [CommandExecutor],
})
export class LedgerModule {}
