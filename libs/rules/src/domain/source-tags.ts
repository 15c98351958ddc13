import type { SourceTag } from '../rule-set.js';
import { isPrefixPointer, leafPointers, valueAt } from './json-pointer.js';

export interface SourceProblem {
  /** Pointer into the rule set envelope (`/sources/…` or `/parameters/…`). */
  pointer: string;
  detail: string;
}

/**
 * The tag of one parameter: the tag of the longest `sources` pointer that is the parameter itself
 * or one of its ancestors (`""` covers everything), or null when nothing covers it.
 */
export function sourceTagOf(sources: Record<string, SourceTag>, pointer: string): SourceTag | null {
  let best: string | null = null;
  for (const p of Object.keys(sources)) {
    if (isPrefixPointer(p, pointer) && (best === null || p.length > best.length)) best = p;
  }
  return best === null ? null : sources[best]!;
}

/**
 * Every pointer in `sources` must address something in `parameters` (a typo would silently tag
 * nothing), and every leaf of `parameters` must end up with a tag.
 */
export function checkSourceTags(parameters: unknown, sources: Record<string, SourceTag>): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const tokenOf = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1');
  for (const p of Object.keys(sources)) {
    if (p !== '' && !p.startsWith('/')) {
      problems.push({ pointer: `/sources/${tokenOf(p)}`, detail: `"${p}" is not a JSON pointer (it starts with "/", or is "" for the default)` });
    } else if (valueAt(parameters, p) === undefined) {
      problems.push({ pointer: `/sources/${tokenOf(p)}`, detail: `"${p}" points at nothing in parameters` });
    }
  }
  const untagged = leafPointers(parameters).filter((leaf) => sourceTagOf(sources, leaf) === null);
  for (const leaf of untagged.slice(0, 20)) {
    problems.push({ pointer: `/parameters${leaf}`, detail: 'no source tag: add a pointer covering it to sources (or a default "")' });
  }
  if (untagged.length > 20) problems.push({ pointer: '/sources', detail: `${untagged.length - 20} more parameters have no source tag` });
  return problems;
}
