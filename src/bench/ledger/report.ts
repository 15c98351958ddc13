import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { PgbenchRun } from '../measure.js';
import type { RunResult } from './workloads.js';

export interface MachineFacts {
  nproc: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  server: string;
  synchronousCommit: string;
}

export function machineFacts(postgres: string, server: string, synchronousCommit: string): MachineFacts {
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    server,
    synchronousCommit,
  };
}

export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export interface Cell {
  runs: RunResult[];
  median: RunResult;
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
export const ms = (n: number) => fmt(n, n < 10 ? 2 : 1);

export function throughputTable(
  writers: readonly number[],
  executor: Map<number, Cell>,
  raw5: Map<number, Cell> | null,
  raw1: Map<number, Cell> | null,
  pgbench: Map<number, PgbenchRun> | null = null,
): string[] {
  const head = ['writers', 'executor /s', 'p50 ms', 'p99 ms', 'CPU µs/transfer (node + pg)'];
  if (pgbench?.size) head.push('pgbench tx/s', 'executor ÷ pgbench');
  if (raw5) head.push('raw 5-RT /s', 'p50 ms', 'p99 ms', 'executor ÷ raw');
  if (raw1) head.push('raw 1-RT /s', 'p50 ms', 'p99 ms');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const w of writers) {
    const e = executor.get(w)!.median;
    const cpu = `${fmt(e.nodeCpuUs)} + ${e.serverCpuUs === null ? '?' : fmt(e.serverCpuUs)}`;
    const row = [String(w), `**${fmt(e.perSecond)}**`, ms(e.p50), ms(e.p99), cpu];
    const p = pgbench?.get(w);
    if (pgbench?.size) row.push(p ? fmt(p.tps) : '–', p ? fmt(e.perSecond / p.tps, 2) : '–');
    if (raw5) {
      const r = raw5.get(w)!.median;
      row.push(fmt(r.perSecond), ms(r.p50), ms(r.p99), fmt(e.perSecond / r.perSecond, 2));
    }
    if (raw1) {
      const r = raw1.get(w)!.median;
      row.push(fmt(r.perSecond), ms(r.p50), ms(r.p99));
    }
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines;
}

export interface BenchSection {
  title: string;
  intro: string;
  mark: string;
}

const LEDGER_SECTION: BenchSection = { title: 'Ledger', intro: 'Runs of `npm run bench:ledger`, newest last.', mark: '<!-- bench:ledger:runs-end -->' };
const HEADER = `# Benchmarks

Measured numbers, one section per benchmark; each run appends a dated entry to its section.
The development machine is shared and small: compare numbers within one run, not across runs.
`;

/** Inserts a dated run at the end of a section of docs/BENCHMARKS.md (the ledger's unless told; creating what is missing). */
export function appendRun(file: string, run: string, section: BenchSection = LEDGER_SECTION): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  if (!text.includes(section.mark)) text = `${text.trimEnd()}\n\n## ${section.title}\n\n${section.intro}\n\n${section.mark}\n`;
  text = text.replace(section.mark, `${run.trimEnd()}\n\n${section.mark}`);
  writeFileSync(file, text);
}
