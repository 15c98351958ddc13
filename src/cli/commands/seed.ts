import { CardBulkLoader } from '@contexts/cards';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { DataSource } from 'typeorm';
import { generateCards } from '../../seed/demo-cards.js';
import { loadCards } from '../../seed/load-cards.js';
import { Prng } from '../../seed/prng.js';
import { DEMO_SEED, SeedRunner } from '../../seed/seed.runner.js';
import { openRuntime } from '../runtime.js';

/**
 * `npm run seed [-- --cards N]`: the demo data if the database is empty (as `npm start` would),
 * then N more generated cards for load tests, bulk-inserted in batches and funded by one journaled
 * command per batch. Deterministic for a given database size.
 */
export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('seed demo data into an empty database, and optionally many more cards for load tests')
    .option('--cards <n>', 'generate this many more cards (e.g. 100000)', (v) => positiveInt(v, '--cards'), 0)
    .option('--batch <n>', 'cards per transaction', (v) => positiveInt(v, '--batch'), 2000)
    .option('--no-fund', 'leave the generated cards without money (no journaled funding)')
    .action(async (opts: { cards: number; batch: number; fund: boolean }) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const runtime = await openRuntime({ SEED_DEMO: 'false' });
      try {
        out(`database: ${runtime.databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}${runtime.embedded ? ' (embedded)' : ''}`);
        const report = await runtime.app.get(SeedRunner).run({ log: (line) => out(`  ${line}`) });
        if (report.skipped === 'not-empty') out('demo data: skipped (the database has data that the seed did not write)');
        else if (report.ran.length === 0) out('demo data: already seeded');
        for (const r of report.ran) out(`demo data: ${r.step}: ${r.summary}`);

        if (opts.cards > 0) {
          const [{ n }] = await runtime.app.get(DataSource).query(`SELECT count(*)::int AS n FROM cards.cards`);
          const plans = generateCards(new Prng((DEMO_SEED ^ 0x5eed) + n), opts.cards);
          const bar = new SingleBar({ format: 'cards {bar} {value}/{total} | {rate} cards/s | ETA {eta}s', hideCursor: true }, Presets.shades_classic);
          const started = Date.now();
          bar.start(plans.length, 0, { rate: 0 });
          const result = await loadCards(runtime.app.get(CardBulkLoader), plans, {
            batchSize: opts.batch,
            commandIdPrefix: `load-${n}`,
            fund: opts.fund,
            onBatch: (done) => bar.update(done, { rate: Math.round(done / Math.max((Date.now() - started) / 1000, 0.001)) }),
          });
          bar.stop();
          const seconds = (Date.now() - started) / 1000;
          out(
            `loaded ${result.cards} cards in ${seconds.toFixed(1)} s (${Math.round(result.cards / seconds)}/s)` +
              (result.skipped ? `, ${result.skipped} skipped (person already had a card)` : '') +
              (opts.fund ? `; funded ${result.funded} accounts with ${(result.totalFen / 100).toFixed(2)} yuan` : '; not funded'),
          );
        }
      } finally {
        await runtime.close();
      }
    });
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, got "${value}"`);
  return n;
}
