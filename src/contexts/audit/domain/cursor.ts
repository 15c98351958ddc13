/**
 * Keyset cursors for the audit reads, opaque to clients but plain to read: dot-separated integers.
 * A journal position is (commit time in ms, chain, seq); an account position is (commit time in
 * ms, shard, account version).
 */
export interface Position {
  atMs: number;
  a: number;
  b: number;
}

export const CURSOR_PATTERN = /^\d{1,15}\.\d{1,4}\.\d{1,15}$/;

export function encodeCursor(p: Position): string {
  return `${p.atMs}.${p.a}.${p.b}`;
}

/** The position a cursor names, or null if it is not one of ours. */
export function decodeCursor(cursor: string): Position | null {
  if (!CURSOR_PATTERN.test(cursor)) return null;
  const [atMs, a, b] = cursor.split('.').map(Number) as [number, number, number];
  if (![atMs, a, b].every(Number.isSafeInteger)) return null;
  return { atMs, a, b };
}

/** Account codes under a prefix, as a LIKE pattern (the prefix's own wildcards taken literally). */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
