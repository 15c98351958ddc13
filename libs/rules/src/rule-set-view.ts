import { versionInForce, type DatedVersion } from './domain/resolution.js';
import type { PublishedRuleSet, RuleRegion, SourceTag } from './rule-set.js';

/** Where a version stands today: in force, waiting for its date, replaced by a later one, or ended. */
export type RuleSetStatus = 'IN_FORCE' | 'SCHEDULED' | 'SUPERSEDED' | 'EXPIRED';

export interface RuleSetSummary {
  id: string;
  version: number;
  context: string;
  kind: string;
  region: RuleRegion;
  effectiveFrom: string;
  effectiveTo: string | null;
  description: string | null;
  status: RuleSetStatus;
  contentSha256: string;
  publishedAt: string;
  publishedBy: string;
  sourceFile: string | null;
}

export interface RuleSetView extends RuleSetSummary {
  sources: Record<string, SourceTag>;
  parameters: unknown;
}

export function statusOf(rs: DatedVersion, family: readonly DatedVersion[], today: string): RuleSetStatus {
  if (rs.effectiveFrom > today) return 'SCHEDULED';
  if (versionInForce(family, today)?.version === rs.version) return 'IN_FORCE';
  if (rs.effectiveTo !== null && rs.effectiveTo < today) return 'EXPIRED';
  return 'SUPERSEDED';
}

export function toRuleSetSummary(rs: PublishedRuleSet, today: string, family: readonly DatedVersion[]): RuleSetSummary {
  return {
    id: rs.id,
    version: rs.version,
    context: rs.context,
    kind: rs.kind,
    region: rs.region,
    effectiveFrom: rs.effectiveFrom,
    effectiveTo: rs.effectiveTo,
    description: rs.description ?? null,
    status: statusOf(rs, family.length ? family : [rs], today),
    contentSha256: rs.contentSha256,
    publishedAt: rs.publishedAt,
    publishedBy: rs.publishedBy,
    sourceFile: rs.sourceFile,
  };
}

/** The whole version: envelope, source tags and parameters (as its kind reads them). */
export function toRuleSetView(rs: PublishedRuleSet, today: string, family: readonly DatedVersion[]): RuleSetView {
  return { ...toRuleSetSummary(rs, today, family), sources: rs.sources, parameters: rs.parameters };
}
