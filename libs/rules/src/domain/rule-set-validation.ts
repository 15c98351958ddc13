import { isBusinessDate } from '@onecard/kernel';
import { z } from 'zod';
import { kindKey, RULE_REGIONS, SOURCE_TAGS, type RuleKind, type RuleRegion, type SourceTag } from '../rule-set.js';
import { contentSha256, type RuleSetContent } from './content-hash.js';
import { toPointer } from './json-pointer.js';
import { checkSourceTags } from './source-tags.js';

/** One thing wrong with a rule set, addressed by JSON pointer into its envelope. */
export interface RuleSetIssue {
  pointer: string;
  detail: string;
}

export const FAMILY_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;
const NAME = /^[a-z][a-z0-9-]*$/;

const date = z.string({ error: 'expected a date YYYY-MM-DD' }).refine(isBusinessDate, { error: 'expected a date YYYY-MM-DD' });

/** The envelope every rule set shares, in a file or in a publish request. */
const envelopeSchema = z
  .strictObject({
    id: z.string({ error: 'expected a family id such as transit.jingjin' }).regex(FAMILY_ID, { error: 'expected a dotted family id such as transit.jingjin' }),
    version: z.int({ error: 'expected a whole version number' }).min(1, { error: 'versions start at 1' }),
    context: z.string({ error: 'expected a context name' }).regex(NAME, { error: 'expected a context name such as transit' }),
    kind: z.string({ error: 'expected a kind name' }).regex(NAME, { error: 'expected a kind name such as network' }),
    // YAML reads an unquoted 11 as a number; a region is the same whichever way it is written.
    region: z.preprocess(
      (v) => (typeof v === 'number' ? String(v) : v),
      z.enum(RULE_REGIONS as [RuleRegion, ...RuleRegion[]], { error: 'expected region "11", "12", "13" or "ALL"' }),
    ),
    effectiveFrom: date,
    effectiveTo: date.nullable().optional(),
    description: z.string({ error: 'expected text' }).max(4000).optional(),
    sources: z.record(z.string(), z.enum(SOURCE_TAGS as [SourceTag, ...SourceTag[]], { error: 'expected source tag S, 3P or E' }), {
      error: 'expected a map of JSON pointer → S | 3P | E',
    }),
    parameters: z.unknown().refine((v) => v !== undefined && v !== null, { error: 'parameters are required' }),
  })
  .superRefine((e, ctx) => {
    if (e.effectiveTo && e.effectiveTo < e.effectiveFrom) {
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: `effectiveTo ${e.effectiveTo} is before effectiveFrom ${e.effectiveFrom}` });
    }
    if (!e.id.startsWith(`${e.context}.`)) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `a family id starts with its context: "${e.context}.…"` });
    }
  });

export interface ValidRuleSet {
  content: RuleSetContent & { region: RuleRegion; sources: Record<string, SourceTag>; effectiveTo: string | null };
  /** Parameters as the kind's schema parsed them. */
  parameters: unknown;
  contentSha256: string;
}

export type ValidationResult = { ok: true; value: ValidRuleSet } | { ok: false; issues: RuleSetIssue[] };

/** zod issues as pointer + message, one entry per unknown key. */
export function issuesFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): RuleSetIssue[] {
  const out: RuleSetIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ pointer: toPointer([...path, key]), detail: `unknown field "${key}"` });
    } else {
      out.push({ pointer: toPointer(path), detail: issue.message });
    }
  }
  return out;
}

/**
 * Validates a rule set envelope and its parameters against the registered kind's schema, and its
 * source tags. `kinds` maps `context/kind` to the registered kind; an unregistered kind is an
 * error (a typo in `kind:` would otherwise load data nobody reads).
 */
export function validateRuleSet(raw: unknown, kinds: ReadonlyMap<string, RuleKind<unknown>>): ValidationResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, issues: [{ pointer: '', detail: 'expected a rule set: an object with id, version, context, kind, region, effectiveFrom, sources, parameters' }] };
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, issues: issuesFromZod(envelope.error) };
  const e = envelope.data;
  const kind = kinds.get(kindKey(e));
  if (!kind) {
    const known = [...kinds.keys()].sort().join(', ');
    return { ok: false, issues: [{ pointer: '/kind', detail: `no module registered rule kind ${kindKey(e)} (known: ${known || 'none'})` }] };
  }
  const issues: RuleSetIssue[] = [];
  const parsed = kind.schema.safeParse(e.parameters);
  if (!parsed.success) issues.push(...issuesFromZod(parsed.error, ['parameters']));
  issues.push(...checkSourceTags(e.parameters, e.sources));
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  const content = {
    id: e.id,
    version: e.version,
    context: e.context,
    kind: e.kind,
    region: e.region,
    effectiveFrom: e.effectiveFrom,
    effectiveTo: e.effectiveTo ?? null,
    ...(e.description !== undefined ? { description: e.description } : {}),
    sources: e.sources,
    parameters: e.parameters,
  };
  return { ok: true, value: { content, parameters: parsed.data, contentSha256: contentSha256(content) } };
}
