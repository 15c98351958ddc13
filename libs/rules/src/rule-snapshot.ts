import { versionInForce } from './domain/resolution.js';
import type { PublishedRuleSet, RuleRegion } from './rule-set.js';

export interface RuleSetFilter {
  context?: string;
  kind?: string;
  region?: RuleRegion;
}

/**
 * Every published rule set, parsed and indexed for resolution without a database round trip.
 * Immutable: a reload builds a new snapshot and swaps it in.
 */
export class RuleSnapshot {
  private readonly families = new Map<string, PublishedRuleSet[]>();
  private readonly versions = new Map<string, PublishedRuleSet>();

  constructor(
    readonly sets: readonly PublishedRuleSet[],
    /** Row count of `rules.rule_sets` when loaded (the table is append-only). */
    readonly revision: number,
  ) {
    for (const rs of sets) {
      const key = familyKey(rs.context, rs.kind, rs.region);
      const list = this.families.get(key) ?? [];
      list.push(rs);
      this.families.set(key, list);
      this.versions.set(versionKey(rs.id, rs.version), rs);
    }
  }

  static empty(): RuleSnapshot {
    return new RuleSnapshot([], -1);
  }

  /** The version in force for exactly this region (no fallback) on a business day. */
  inForce(context: string, kind: string, region: RuleRegion, day: string): PublishedRuleSet | null {
    return versionInForce(this.families.get(familyKey(context, kind, region)) ?? [], day);
  }

  get(id: string, version: number): PublishedRuleSet | null {
    return this.versions.get(versionKey(id, version)) ?? null;
  }

  list(filter: RuleSetFilter = {}): PublishedRuleSet[] {
    return this.sets
      .filter((rs) => (!filter.context || rs.context === filter.context) && (!filter.kind || rs.kind === filter.kind) && (!filter.region || rs.region === filter.region))
      .sort((a, b) => cmp(a.context, b.context) || cmp(a.kind, b.kind) || cmp(a.region, b.region) || cmp(a.id, b.id) || a.version - b.version);
  }
}

function familyKey(context: string, kind: string, region: string): string {
  return `${context}/${kind}/${region}`;
}

function versionKey(id: string, version: number): string {
  return `${id}@${version}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
