import type { RuleRef } from '@onecard/kernel';
import type { z } from 'zod';

/** A rule set applies to one region (11 Beijing, 12 Tianjin, 13 Hebei) or to all three. */
export type RuleRegion = '11' | '12' | '13' | 'ALL';
export const RULE_REGIONS: readonly RuleRegion[] = ['11', '12', '13', 'ALL'];

/** Where a parameter's value comes from (REFERENCE.md): S public source, 3P third party, E estimate. */
export type SourceTag = 'S' | '3P' | 'E';
export const SOURCE_TAGS: readonly SourceTag[] = ['S', '3P', 'E'];

/**
 * A kind of rule data (`transit/network`, `medical/policy`, …) and the zod schema its parameters
 * must satisfy. The context that applies the rules owns the kind and registers it with
 * `RulesModule.forFeature`.
 */
export interface RuleKind<P> {
  readonly context: string;
  readonly kind: string;
  readonly schema: z.ZodType<P>;
}

const NAME = /^[a-z][a-z0-9-]*$/;

export function defineRuleKind<P>(context: string, kind: string, schema: z.ZodType<P>): RuleKind<P> {
  if (!NAME.test(context)) throw new Error(`rule kind context "${context}" must match ${NAME}`);
  if (!NAME.test(kind)) throw new Error(`rule kind "${kind}" must match ${NAME}`);
  return Object.freeze({ context, kind, schema });
}

export function kindKey(kind: { context: string; kind: string }): string {
  return `${kind.context}/${kind.kind}`;
}

/** One published, immutable version of a rule set family. */
export interface RuleSet<P> {
  /** The family, e.g. `transit.jingjin`; one family per (context, kind, region). */
  id: string;
  version: number;
  context: string;
  kind: string;
  region: RuleRegion;
  /** First business day in force, `YYYY-MM-DD` in Asia/Shanghai (from 00:00:00+08:00). */
  effectiveFrom: string;
  /** Last business day in force (through 23:59:59.999+08:00), or null: open-ended. */
  effectiveTo: string | null;
  description?: string;
  parameters: P;
  /** JSON pointer into `parameters` → source tag; `""` is the default for everything below it. */
  sources: Record<string, SourceTag>;
  /** What a decision records (journal `rule_set_id`, `rule_version`). */
  ref: RuleRef;
}

/** Published-version metadata kept beside each rule set (list and admin answers). */
export interface PublishedRuleSet<P = unknown> extends RuleSet<P> {
  contentSha256: string;
  publishedAt: string;
  publishedBy: string;
  /** The file it was loaded from, when it came from the repository. */
  sourceFile: string | null;
}

export class RuleSetNotFoundError extends Error {
  constructor(readonly what: string) {
    super(`no rule set in force: ${what}`);
    this.name = 'RuleSetNotFoundError';
  }
}
