import type { DatedVersion } from './resolution.js';

/** Why a new version may not be published; `status` is the HTTP answer an operator gets. */
export interface PublicationRefusal {
  status: 400 | 409;
  code: 'FAMILY_MISMATCH' | 'FAMILY_TAKEN' | 'VERSION_NOT_NEXT' | 'NOT_IN_FUTURE' | 'OVERLAPS_LATER_VERSION';
  detail: string;
  /** The envelope field at fault, for `errors[]`. */
  pointer?: string;
}

export interface FamilyShape {
  id: string;
  context: string;
  kind: string;
  region: string;
}

export interface Candidate extends FamilyShape, DatedVersion {}

/**
 * A family is one (context, kind, region); its id names it for good. Checks that `candidate`
 * agrees with the families already known.
 */
export function checkFamily(candidate: Candidate, families: readonly FamilyShape[]): PublicationRefusal | null {
  const same = families.find((f) => f.id === candidate.id);
  if (same && (same.context !== candidate.context || same.kind !== candidate.kind || same.region !== candidate.region)) {
    return {
      status: 409,
      code: 'FAMILY_MISMATCH',
      pointer: '/id',
      detail: `rule set ${candidate.id} is the family of ${same.context}/${same.kind} in region ${same.region}, not ${candidate.context}/${candidate.kind} in region ${candidate.region}`,
    };
  }
  const other = families.find((f) => f.id !== candidate.id && f.context === candidate.context && f.kind === candidate.kind && f.region === candidate.region);
  if (other) {
    return {
      status: 409,
      code: 'FAMILY_TAKEN',
      pointer: '/id',
      detail: `${candidate.context}/${candidate.kind} in region ${candidate.region} is already the family ${other.id}; publish a new version of ${other.id}`,
    };
  }
  return null;
}

/**
 * The rules for adding `candidate` after the `published` versions of its family (any order):
 *  - its version is exactly the next number;
 *  - it does not overlap a version that starts later than it: a version that starts after the
 *    candidate's effectiveFrom must lie wholly after the candidate's effectiveTo, or publishing the
 *    candidate would silently cut or cancel that scheduled version. (Starting on the same day as
 *    a scheduled version replaces it: an explicit correction, allowed.)
 * With `today` (publishing through the API) the candidate must also take effect in the future,
 * so no decision already made could have been made under it. Files loaded at start are the
 * repository's history and are not held to that.
 */
export function checkPublication(candidate: Candidate, published: readonly DatedVersion[], today: string | null): PublicationRefusal | null {
  const latest = published.reduce((max, v) => Math.max(max, v.version), 0);
  if (candidate.version !== latest + 1) {
    return {
      status: 409,
      code: 'VERSION_NOT_NEXT',
      pointer: '/version',
      detail:
        candidate.version <= latest
          ? `version ${candidate.version} of ${candidate.id} is already published and a published version never changes; the next version is ${latest + 1}`
          : `the next version of ${candidate.id} is ${latest + 1}, not ${candidate.version}`,
    };
  }
  if (today !== null && candidate.effectiveFrom <= today) {
    return {
      status: 400,
      code: 'NOT_IN_FUTURE',
      pointer: '/effectiveFrom',
      detail: `effectiveFrom ${candidate.effectiveFrom} is not in the future (today is ${today} in Asia/Shanghai); a new version takes effect from tomorrow at the earliest`,
    };
  }
  const end = candidate.effectiveTo ?? '9999-12-31';
  const overlapped = published
    .filter((v) => v.effectiveFrom > candidate.effectiveFrom && v.effectiveFrom <= end)
    .sort((a, b) => a.version - b.version)[0];
  if (overlapped) {
    return {
      status: 409,
      code: 'OVERLAPS_LATER_VERSION',
      pointer: '/effectiveFrom',
      detail:
        `version ${overlapped.version} of ${candidate.id} takes effect on ${overlapped.effectiveFrom}, after this version's start ${candidate.effectiveFrom}, ` +
        `and this version (${candidate.effectiveTo ? `to ${candidate.effectiveTo}` : 'open-ended'}) would overlap it; ` +
        `start on or after ${overlapped.effectiveFrom}, or end before it`,
    };
  }
  return null;
}
