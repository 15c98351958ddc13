import { Module, type DynamicModule } from '@nestjs/common';
import { ReplayRegistry } from './decision-replayer.js';
import { DEFAULT_RULE_KINDS } from './kinds/default-kinds.js';
import { RuleBook } from './rule-book.js';
import { RuleKindRegistry } from './rule-kind-registry.js';
import { RULES_OPTIONS, type RulesModuleOptions } from './rule-options.js';
import { RuleRepository } from './rule-repository.js';
import type { RuleKind } from './rule-set.js';
import { RuleStore } from './rule-store.js';

/**
 * Three-region rules as versioned, effective-dated data (ADR 0005).
 * `forRoot()` once in the application (global); `RuleStore.start()` loads `rules/` once the
 * database answers, after every `forFeature(kinds)` a context imports has registered its kinds.
 */
@Module({})
export class RulesModule {
  static forRoot(options: RulesModuleOptions = {}): DynamicModule {
    return {
      module: RulesModule,
      global: true,
      providers: [
        { provide: RULES_OPTIONS, useValue: options },
        {
          provide: RuleKindRegistry,
          useFactory: () => {
            const registry = new RuleKindRegistry();
            registry.registerDefaults(options.defaultKinds ?? DEFAULT_RULE_KINDS);
            return registry;
          },
        },
        RuleRepository,
        RuleStore,
        RuleBook,
        ReplayRegistry,
      ],
      exports: [RuleKindRegistry, RuleBook, ReplayRegistry, RuleStore, RuleRepository],
    };
  }

  /**
   * A context's rule kinds. Registered when providers are built, i.e. before the store starts,
   * so the files are validated against every registered schema.
   */
  static forFeature(kinds: RuleKind<any>[]): DynamicModule {
    const names = kinds.map((k) => `${k.context}/${k.kind}`).sort().join(',');
    // The token names the kinds: Nest tells dynamic modules apart by their serialised metadata.
    const token = `onecard:rule-kinds:${names}`;
    return {
      module: RulesModule,
      providers: [{ provide: token, useFactory: (registry: RuleKindRegistry) => (registry.register(kinds), names), inject: [RuleKindRegistry] }],
    };
  }
}
