import { ChargeIncompleteJourneysCommand, type IncompleteChargeRun } from '@contexts/transit';
import { CommandBus } from '@nestjs/cqrs';
import { addBusinessDays, isBusinessDate, isIsoInstantWithOffset, startOfBusinessDay } from '@onecard/kernel';
import type { Command } from 'commander';
import { openRuntime } from '../runtime.js';

/**
 * `npm run transit:charge-incomplete -- --as-of 2026-03-10 [--json]`: charges every journey still
 * open 7 days after entry, as the hourly in-process job does, as of the end of that business day
 * (or an exact instant with offset) — refused if that is after the service clock (a day that has
 * not ended yet). Each journey is charged once, however often this runs.
 */
export function registerTransitChargeIncompleteCommand(program: Command): void {
  program
    .command('transit:charge-incomplete')
    .description("charge journeys without a tap-out 7 days after entry (the fare to their train's terminus), idempotently")
    .requiredOption(
      '--as-of <date>',
      'a business date YYYY-MM-DD (as of the end of that day, Asia/Shanghai) or an ISO-8601 instant with offset; not after the service clock',
      parseAsOf,
    )
    .option('--json', 'print the whole result as JSON instead of a summary')
    .action(async (opts: { asOf: Date; json?: boolean }) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const runtime = await openRuntime({ SEED_DEMO: 'false' });
      try {
        const result: IncompleteChargeRun = await runtime.app
          .get(CommandBus)
          .execute(new ChargeIncompleteJourneysCommand(opts.asOf, 'cli:transit:charge-incomplete'));
        if (opts.json) {
          out(JSON.stringify(result, null, 2));
          return;
        }
        const fresh = result.charges.filter((c) => c.decision === 'ALLOW' && !c.replayed);
        out(`as of ${result.asOf}: ${result.examined} open journeys older than a day, ${fresh.length} charged now`);
        for (const c of fresh) {
          out(
            `  ${c.journeyId} card ${c.cardNo}: ${(c.chargedFen / 100).toFixed(2)} yuan to ${c.terminus}${c.shortfallFen > 0 ? ` (${(c.shortfallFen / 100).toFixed(2)} uncovered)` : ''}`,
          );
        }
      } finally {
        await runtime.close();
      }
    });
}

export function parseAsOf(value: string): Date {
  if (isBusinessDate(value)) return startOfBusinessDay(addBusinessDays(value, 1));
  if (isIsoInstantWithOffset(value)) return new Date(value);
  throw new Error(`--as-of must be a date YYYY-MM-DD or an ISO-8601 instant with offset, got "${value}"`);
}
