import { canonicalJson, sha256Hex } from '@onecard/kernel';

/** The parts of a rule set that make it what it is (publication metadata excluded). */
export interface RuleSetContent {
  id: string;
  version: number;
  context: string;
  kind: string;
  region: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  description?: string | null;
  sources: Record<string, string>;
  parameters: unknown;
}

/**
 * SHA-256 of the canonical JSON (sorted keys, no whitespace) of the content as written, so the
 * same rule set hashes the same whether it came from YAML, from a JSON request, or from the
 * database's jsonb (which reorders keys). A published version's hash never changes.
 */
export function contentSha256(c: RuleSetContent): string {
  return sha256Hex(
    canonicalJson({
      id: c.id,
      version: c.version,
      context: c.context,
      kind: c.kind,
      region: c.region,
      effectiveFrom: c.effectiveFrom,
      effectiveTo: c.effectiveTo ?? null,
      description: c.description ?? null,
      sources: c.sources,
      parameters: c.parameters,
    }),
  );
}
