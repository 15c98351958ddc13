import { Module, type DynamicModule } from '@nestjs/common';
import { LedgerModule } from '@onecard/ledger';
import { PlatformModule, type PlatformOptions } from '@onecard/platform';
import { RegistryModule } from './contexts/registry/registry.module.js';
import { MIGRATIONS } from './migrations.js';

/** The composition root: platform, shared libraries and every bounded context. */
@Module({})
export class AppModule {
  static forRoot(opts: Omit<PlatformOptions, 'migrations'>): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ ...opts, migrations: MIGRATIONS }), LedgerModule,
        RegistryModule,
      ],
    };
  }
}
