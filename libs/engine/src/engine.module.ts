import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CommandExecutor, DEFAULT_ENGINE_OPTIONS, ENGINE_OPTIONS, type EngineOptions } from './command-executor.js';

/** The command engine every context runs its commands through. */
@Global()
@Module({ providers: [CommandExecutor], exports: [CommandExecutor] })
export class EngineModule {
  /** The module with its options (group commit); without `forRoot` the defaults apply. */
  static forRoot(options: EngineOptions = DEFAULT_ENGINE_OPTIONS): DynamicModule {
    return { module: EngineModule, providers: [{ provide: ENGINE_OPTIONS, useValue: options }], exports: [ENGINE_OPTIONS] };
  }
}
