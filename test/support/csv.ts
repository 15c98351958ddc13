import { parse } from 'csv-parse/sync';

/**
 * A report read as CSV and parsed back with the same CSV family (csv-parse for csv-stringify):
 * every cell is text, so the JSON rows it is compared with go through `asCsvText` first.
 */
export async function fetchCsv(
  baseUrl: string,
  path: string,
  token: string,
): Promise<{ status: number; contentType: string | null; records: Record<string, string>[] }> {
  const res = await fetch(new URL(path, baseUrl), { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), records: res.status === 200 ? parse(text, { columns: true }) : [] };
}

/** JSON report rows as CSV writes them: numbers and booleans as text, null as an empty cell. */
export function asCsvText(rows: readonly Record<string, unknown>[]): Record<string, string>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)])));
}
