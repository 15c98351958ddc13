import { Global, Module } from '@nestjs/common';
import { TERMINAL_DIRECTORY } from '@onecard/platform';
import { ListTerminalsHandler } from './application/list-terminals/list-terminals.handler.js';
import { ListVenuesHandler } from './application/list-venues/list-venues.handler.js';
import { RegisterTerminalHandler } from './application/register-terminal/register-terminal.handler.js';
import { SetTerminalStatusHandler } from './application/set-terminal-status/set-terminal-status.handler.js';
import { RegistryController } from './http/registry.controller.js';
import { CachedTerminalDirectory } from './infrastructure/cached-terminal-directory.js';
import { RegistryRepository } from './infrastructure/registry.repository.js';
import { HolderAppBindings } from './public/holder-app-bindings.js';
import { VenueDirectory } from './public/venue-directory.js';

/**
 * Venues and terminals. Global because every controller's TerminalAuthGuard resolves the
 * TERMINAL_DIRECTORY port from the module it is used in.
 */
@Global()
@Module({
  controllers: [RegistryController],
  providers: [
    RegistryRepository,
    CachedTerminalDirectory,
    { provide: TERMINAL_DIRECTORY, useExisting: CachedTerminalDirectory },
    VenueDirectory,
    HolderAppBindings,
    RegisterTerminalHandler,
    SetTerminalStatusHandler,
    ListVenuesHandler,
    ListTerminalsHandler,
  ],
  exports: [TERMINAL_DIRECTORY, VenueDirectory, HolderAppBindings],
})
export class RegistryModule {}
