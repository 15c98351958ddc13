import { Module, type DynamicModule } from '@nestjs/common';
import { EngineModule } from '@onecard/engine';
import { LedgerModule } from '@onecard/ledger';
import { PlatformModule, type PlatformOptions } from '@onecard/platform';
import { RulesModule } from '@onecard/rules';
import { AuditModule } from './contexts/audit/audit.module.js';
import { CardsModule } from './contexts/cards/cards.module.js';
import { ClearingModule } from './contexts/clearing/clearing.module.js';
import { LibrariesModule } from './contexts/libraries/libraries.module.js';
import { MedicalModule } from './contexts/medical/medical.module.js';
import { MuseumsModule } from './contexts/museums/museums.module.js';
import { RegistryModule } from './contexts/registry/registry.module.js';
import { RuleAdminModule } from './contexts/rule-admin/rule-admin.module.js';
import { ScenicModule } from './contexts/scenic/scenic.module.js';
import { TransitModule } from './contexts/transit/transit.module.js';
import { MIGRATIONS } from './migrations.js';
import { SeedModule } from './seed/seed.module.js';

/** The composition root: platform, shared libraries and every bounded context. */
@Module({})
export class AppModule {
  static forRoot(opts: Omit<PlatformOptions, 'migrations'>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ ...opts, migrations: MIGRATIONS }),
        LedgerModule,
        EngineModule.forRoot({
          groupCommit: {
            enabled: opts.config.env.GROUP_COMMIT,
            maxBatch: opts.config.env.GROUP_COMMIT_MAX_BATCH,
            maxConcurrentBatches: opts.config.env.GROUP_COMMIT_BATCHES,
          },
        }),
        RegistryModule,
        CardsModule,
        SeedModule,
        RulesModule.forRoot({ directory: opts.config.env.RULES_DIR }),
        RuleAdminModule,
        ScenicModule,
        MuseumsModule,
        AuditModule,
        MedicalModule,
        LibrariesModule,
        TransitModule,
        ClearingModule,
      ],
    };
  }
}
