import { ProblemError } from '@onecard/kernel';
import { parse } from 'csv-parse/sync';
import type { FastifyRequest } from 'fastify';
import { reportCsv, reportPage, wantsCsv, type ReportDefinition } from './report.js';

interface Row {
  n: number;
  label: string;
  fen: number;
  flag: boolean;
  note: string | null;
}

/** A report over `count` rows in n order, counting the pages it is asked for. */
function numbers(count: number): { def: ReportDefinition<Row>; pages: (number | null)[] } {
  const pages: (number | null)[] = [];
  const all = Array.from({ length: count }, (_, i): Row => ({
    n: i + 1,
    label: `第${i + 1}行, "quoted"`,
    fen: (i + 1) * 100,
    flag: i % 2 === 0,
    note: i % 3 ? null : 'x',
  }));
  return {
    pages,
    def: {
      name: 'numbers',
      columns: [
        { key: 'n', value: (r) => r.n },
        { key: 'label', value: (r) => r.label },
        { key: 'fen', value: (r) => r.fen },
        { key: 'flag', value: (r) => r.flag },
        { key: 'note', value: (r) => r.note },
      ],
      page: async (after, limit) => {
        const from = after ? Number(after[0]) : 0;
        pages.push(after ? from : null);
        return all.filter((r) => r.n > from).slice(0, limit);
      },
      key: (r) => [r.n],
    },
  };
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('report pages and CSV', () => {
  it('pages JSON by keyset: each page continues after the last row of the one before, the last has no cursor', async () => {
    const { def } = numbers(5);
    const first = await reportPage(def, { limit: 2 });
    expect(first.rows.map((r) => r.n)).toEqual([1, 2]);
    const second = await reportPage(def, { limit: 2, cursor: first.nextCursor! });
    expect(second.rows.map((r) => r.n)).toEqual([3, 4]);
    const last = await reportPage(def, { limit: 2, cursor: second.nextCursor! });
    expect(last).toEqual({ rows: [{ n: 5, label: '第5行, "quoted"', fen: 500, flag: true, note: null }], nextCursor: null });
  });

  it('refuses a cursor it did not give with a 400 naming the field', async () => {
    const { def } = numbers(3);
    for (const cursor of ['bm90LWpzb24', Buffer.from('{"a":1}').toString('base64url')]) {
      const error = await reportPage(def, { cursor }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProblemError);
      expect((error as ProblemError).problem).toMatchObject({ status: 400, errors: [{ pointer: '/cursor' }] });
    }
  });

  it('streams every row as CSV, reading pages only as the client reads, and parses back to the JSON rows', async () => {
    const { def, pages } = numbers(1234);
    const stream = reportCsv(def);
    const reader = stream[Symbol.asyncIterator]();
    await reader.next();
    // The header and the first rows are out before the last pages are read.
    expect(pages.length).toBeLessThan(3);
    let rest = '';
    for (let chunk = await reader.next(); !chunk.done; chunk = await reader.next()) rest += String(chunk.value);
    expect(pages).toEqual([null, 500, 1000]);
    const { def: again } = numbers(1234);
    const records = parse(await text(reportCsv(again)), { columns: true });
    expect(records).toHaveLength(1234);
    const json = (await reportPage(again, { limit: 1000 })).rows;
    expect(records.slice(0, 1000)).toEqual(json.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)]))));
    expect(rest.length).toBeGreaterThan(0);
  });

  it('answers CSV for ?format=csv or Accept: text/csv, JSON otherwise', () => {
    const req = (accept?: string) => ({ headers: accept ? { accept } : {} }) as unknown as FastifyRequest;
    expect(wantsCsv(req(), 'csv')).toBe(true);
    expect(wantsCsv(req('text/csv'), 'json')).toBe(false);
    expect(wantsCsv(req('text/csv'))).toBe(true);
    expect(wantsCsv(req('text/csv;q=0.9, application/json'))).toBe(true);
    expect(wantsCsv(req('application/json, text/csv'))).toBe(false);
    expect(wantsCsv(req('*/*'))).toBe(false);
    expect(wantsCsv(req())).toBe(false);
  });
});
