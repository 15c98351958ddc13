import type { Command } from 'commander';
import { simulate } from '../../simulator/simulate.js';
import { SCENARIOS, type ScenarioName } from '../../simulator/scenarios/index.js';

/** `10s`, `2m`, `90` (seconds) → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}" (e.g. 60s, 2m)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('play a simulated day of terminals against the service and audit the result')
    .option('--scenario <name>', `one of ${Object.keys(SCENARIOS).join(', ')}`, 'weekday')
    .option('--duration <time>', 'wall-clock time to run at most, e.g. 60s, 2m', '60s')
    .option('--rate <n>', 'commands per second at most (also sizes the crowd)')
    .option('--seed <n>', 'random seed: the same seed plays the same day', '1')
    .option('--target <url>', 'drive a running service (in its real time) instead of starting one')
    .option('--day <date>', "business day to simulate (default: the scenario's)")
    .option('--speed <x>', 'simulated seconds per wall second', '600')
    .option('--concurrency <n>', 'terminals with a request in flight at most', '32')
    .option('--cards <n>', 'cards to draw people from', '1000')
    .action(async (o: Record<string, string | undefined>) => {
      const scenario = o.scenario as ScenarioName;
      if (!(scenario in SCENARIOS)) throw new Error(`unknown scenario "${scenario}": ${Object.keys(SCENARIOS).join(', ')}`);
      const outcome = await simulate({
        scenario,
        durationMs: parseDuration(o.duration!),
        rate: o.rate ? positive(o.rate, '--rate') : undefined,
        seed: Math.trunc(positive(o.seed!, '--seed')),
        target: o.target,
        day: o.day,
        speed: positive(o.speed!, '--speed'),
        concurrency: Math.trunc(positive(o.concurrency!, '--concurrency')),
        cards: Math.trunc(positive(o.cards!, '--cards')),
      });
      process.stdout.write(`${outcome.report}\n`);
      if (!outcome.ok) {
        process.stdout.write(`\nPROBLEMS (${outcome.problems.length}):\n${outcome.problems.map((p) => `  - ${p}`).join('\n')}\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write('\nOK: no 5xx, retries answered identically, card balances match the answers, ledger verified.\n');
      }
    });
}

function positive(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}
