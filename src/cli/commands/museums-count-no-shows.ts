import { NoShowCounter, type NoShowRun } from '@contexts/museums';
import { addBusinessDays, isBusinessDate, isIsoInstantWithOffset, startOfBusinessDay } from '@onecard/kernel';
import type { Command } from 'commander';
import { openRuntime } from '../runtime.js';

/**
 * `npm run museums:count-no-shows [-- --as-of 2026-03-10|2026-03-10T17:00:00+08:00] [--json]`:
 * counts as no-shows the museum reservations still booked whose slot ended by then, as the
 * in-process schedule does every minute. One journaled command per reservation (id = reservation
 * id), so a reservation is counted once however often this runs.
 */
export function registerMuseumsCountNoShowsCommand(program: Command): void {
  program
    .command('museums:count-no-shows')
    .description('count museum reservations unused after their slot ended as no-shows (3 in 90 days ban booking for 30), idempotently')
    .option(
      '--as-of <when>',
      'a business date YYYY-MM-DD (as of the end of that day, Asia/Shanghai) or an ISO-8601 instant with offset; default: now',
      parseNoShowAsOf,
    )
    .option('--json', 'print the result as JSON instead of a summary')
    .action(async (opts: { asOf?: Date; json?: boolean }) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const runtime = await openRuntime({ SEED_DEMO: 'false' });
      try {
        const run: NoShowRun = await runtime.app.get(NoShowCounter).run(opts.asOf ?? new Date());
        if (opts.json) out(JSON.stringify(run, null, 2));
        else out(`as of ${run.asOf}: ${run.counted} no-shows counted now (${run.bans} new booking bans), ${run.skipped} already counted or changed`);
      } finally {
        await runtime.close();
      }
    });
}

export function parseNoShowAsOf(value: string): Date {
  if (isBusinessDate(value)) return startOfBusinessDay(addBusinessDays(value, 1));
  if (isIsoInstantWithOffset(value)) return new Date(value);
  throw new Error(`--as-of must be a date YYYY-MM-DD or an ISO-8601 instant with offset, got "${value}"`);
}
