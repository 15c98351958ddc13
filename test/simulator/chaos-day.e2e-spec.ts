import { OPERATOR_TOKEN, startTestApp, type TestApp } from '@test/support';
import { SCENARIOS } from '../../src/simulator/scenarios/index.js';
import { SimClock } from '../../src/simulator/sim-clock.js';
import { simulate, type SimulationOutcome } from '../../src/simulator/simulate.js';

/**
 * The simulator against the service on the demo seed, on a chaotic morning compressed 1200×:
 * retries with the same id, dropped connections, bad signatures, malformed bodies, lost cards,
 * offline gates uploading batches. The run's own audit must find nothing wrong.
 */
describe('terminal simulator: a chaotic morning (real PostgreSQL, signed HTTP)', () => {
  let t: TestApp;
  let outcome: SimulationOutcome;

  beforeAll(async () => {
    const clock = new SimClock(new Date(`${SCENARIOS.chaos.day}T${SCENARIOS.chaos.from}:00+08:00`), 1200);
    t = await startTestApp({ clock, env: { SEED_DEMO: 'true' } });
    outcome = await simulate({
      scenario: 'chaos',
      durationMs: 12_000,
      rate: 40,
      seed: 7,
      speed: 1200,
      concurrency: 16,
      cards: 400,
      quiet: true,
      service: { baseUrl: t.baseUrl, clock, masterKey: t.env.TERMINAL_MASTER_KEY, operatorToken: OPERATOR_TOKEN },
    });
  }, 240_000);
  afterAll(() => t?.close());

  it('finds no 5xx, no retry answered differently, no card balance off from the answers, and a verified ledger', () => {
    expect(outcome.problems).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.stats.serverErrors).toBe(0);
  });

  it('exercised the contexts and the faults: ALLOWs and DENYs with reasons, 400s for malformed bodies, 401s for bad signatures', () => {
    const decisions = [...outcome.stats.decisions.keys()];
    if (process.env.SHOW_SIM) process.stdout.write(`${outcome.report}\n`);
    expect(decisions.some((k) => k.startsWith('transit ALLOW'))).toBe(true);
    expect(decisions.some((k) => k.startsWith('medical ALLOW'))).toBe(true);
    expect(decisions.some((k) => /^transit DENY CARD_(LOST|CANCELLED|NOT_ACTIVE|LOCKED)$/.test(k))).toBe(true);
    const statuses = [...outcome.stats.statuses.keys()];
    expect(statuses.some((k) => k.endsWith(' 400'))).toBe(true);
    expect(statuses.some((k) => k.endsWith(' 401'))).toBe(true);
    expect(statuses.every((k) => / 40[01]$/.test(k))).toBe(true);
  });
});
