/**
 * Which version of a family is in force on a business day (ADR 0005):
 * the highest version whose effectiveFrom ≤ day and, when it has one, effectiveTo ≥ day.
 * Versions are immutable, so a later version "ends" an open-ended earlier one simply by starting;
 * a version with an effectiveTo is a window, after which the highest earlier version still in
 * force applies again. Days are Asia/Shanghai calendar dates compared as `YYYY-MM-DD` strings.
 */
export interface DatedVersion {
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export function coversDay(v: DatedVersion, day: string): boolean {
  return v.effectiveFrom <= day && (v.effectiveTo === null || day <= v.effectiveTo);
}

export function versionInForce<T extends DatedVersion>(versions: readonly T[], day: string): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (coversDay(v, day) && (best === null || v.version > best.version)) best = v;
  }
  return best;
}
