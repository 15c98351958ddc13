import { Injectable, Logger } from '@nestjs/common';
import { kindKey, type RuleKind } from './rule-set.js';

/**
 * The rule kinds the running service knows, each with its parameter schema. The library ships
 * defaults for the kinds in `rules/`; a context that registers the same kind with
 * `RulesModule.forFeature` replaces the default with its own (refined) schema.
 */
@Injectable()
export class RuleKindRegistry {
  private readonly logger = new Logger(RuleKindRegistry.name);
  private readonly defaults = new Map<string, RuleKind<unknown>>();
  private readonly registered = new Map<string, RuleKind<unknown>>();

  registerDefaults(kinds: readonly RuleKind<any>[]): void {
    for (const k of kinds) this.defaults.set(kindKey(k), k);
  }

  register(kinds: readonly RuleKind<any>[]): void {
    for (const k of kinds) {
      const key = kindKey(k);
      const existing = this.registered.get(key);
      if (existing && existing !== k) throw new Error(`rule kind ${key} is registered twice with different schemas`);
      if (this.defaults.has(key) && this.defaults.get(key) !== k) this.logger.log(`rule kind ${key}: a context's schema replaces the library default`);
      this.registered.set(key, k);
    }
  }

  /** Every known kind by `context/kind`: context registrations over library defaults. */
  all(): ReadonlyMap<string, RuleKind<unknown>> {
    return new Map([...this.defaults, ...this.registered]);
  }
}
