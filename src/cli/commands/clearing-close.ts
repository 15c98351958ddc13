import { CloseDayCommand } from '@contexts/clearing';
import { CommandBus } from '@nestjs/cqrs';
import { isBusinessDate, ProblemError } from '@onecard/kernel';
import type { Command } from 'commander';
import { openRuntime } from '../runtime.js';

/**
 * `npm run clearing:close -- --date 2026-03-02 [--json]`: closes a business day's clearing as
 * `POST /v1/admin/clearing/days/{date}/close` does. Closing a closed day prints the first close.
 */
export function registerClearingCloseCommand(program: Command): void {
  program
    .command('clearing:close')
    .description("close a business day's inter-region clearing: freeze the statement and post the netted obligations (idempotent)")
    .requiredOption('--date <date>', 'the business day YYYY-MM-DD (Asia/Shanghai); it must have ended and follow a closed day', parseDate)
    .option('--json', 'print the closed statement as JSON instead of a summary')
    .action(async (opts: { date: string; json?: boolean }) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const runtime = await openRuntime({ SEED_DEMO: 'false' });
      try {
        const { statement, replayed } = await runtime.app.get(CommandBus).execute(new CloseDayCommand(opts.date, 'cli:clearing:close'));
        if (opts.json) {
          out(JSON.stringify(statement, null, 2));
          return;
        }
        const body = statement.body.kind === 'DAY' ? statement.body : null;
        out(
          `${statement.statementId} ${replayed ? 'was already closed' : 'closed'} at ${statement.closedAt} (statement #${statement.seq}, hash ${statement.hash.slice(0, 16)}…)`,
        );
        if (body) {
          const t = body.figures.totals;
          out(`  ${t.count} cross-region legs, net ${(t.netFen / 100).toFixed(2)} yuan (${t.lateCount} late, ${t.adjustmentCount} adjustments)`);
          for (const p of body.figures.daily.positions) out(`  region ${p.region} daily position ${(p.netFen / 100).toFixed(2)} yuan`);
          for (const tr of body.transfers) out(`  posted ${tr.from} → ${tr.to} ${(tr.amountFen / 100).toFixed(2)} yuan`);
          for (const c of body.topUpCalls) out(`  top-up called: ${c.callId} ${(c.amountFen / 100).toFixed(2)} yuan`);
        }
      } catch (error) {
        if (error instanceof ProblemError) {
          process.stderr.write(`${error.problem.detail ?? error.problem.title}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      } finally {
        await runtime.close();
      }
    });
}

export function parseDate(value: string): string {
  if (!isBusinessDate(value)) throw new Error(`--date must be a date YYYY-MM-DD, got "${value}"`);
  return value;
}
