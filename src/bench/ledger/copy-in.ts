import type pg from 'pg';

/**
 * `COPY … FROM STDIN` on a node-postgres client without an extra package: a submittable query
 * that answers the server's CopyInResponse with the given chunks. For bulk-loading the bench ledger.
 */
export function copyIn(client: pg.Client | pg.PoolClient, sql: string, chunks: readonly (string | Buffer)[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = false;
    let rows = 0;
    let failure: Error | null = null;
    const finish = () => {
      if (done) return;
      done = true;
      if (failure) reject(failure);
      else resolve(rows);
    };
    const submittable = {
      callback: undefined as unknown,
      submit(connection: { query(text: string): void }) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }) {
        for (const c of chunks) connection.sendCopyFromChunk(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
        connection.endCopyFrom();
      },
      handleCommandComplete(msg: { text?: string }) {
        rows = Number(/(\d+)$/.exec(msg.text ?? '')?.[1] ?? 0);
      },
      handleReadyForQuery() {
        finish();
      },
      handleError(error: Error) {
        // node-postgres forgets the active query on an error: ReadyForQuery will not reach us.
        failure = error;
        finish();
      },
      handleRowDescription() {},
      handleDataRow() {},
      handlePortalSuspended() {},
      handleEmptyQuery() {},
      handleCopyData() {},
    };
    (client as unknown as { query(q: unknown): void }).query(submittable);
  });
}

/** One value in COPY text format. */
export function copyValue(v: string | number | null): string {
  if (v === null) return '\\N';
  const s = typeof v === 'number' ? String(v) : v;
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}
