import { signTerminalRequest } from '@onecard/kernel';
import { Pool } from 'undici';
import { percentile } from '../ledger/stats.js';

/** One terminal request: the terminal, the path and the body (serialised once, signed over its bytes). */
export interface Shot {
  terminalId: string;
  path: string;
  body: unknown;
}

/** What a workload does per iteration: one or more requests, each expected to be a 200 ALLOW. */
export type Iteration = (worker: number, n: number) => Shot[];

export interface LoadResult {
  terminals: number;
  seconds: number;
  /** Commands (requests) per second. */
  perSecond: number;
  /** Iterations (e.g. IN/OUT pairs) per second. */
  iterationsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx answers, transport failures, or a DENY where an ALLOW was expected. */
  errors: number;
  firstError: string | null;
  /** CPU of this load generator per request, µs (it shares the machine with the service). */
  generatorCpuUs: number;
}

interface DriveOutcome {
  iterations: number;
  errors: number;
  firstError: string | null;
}

/** Runs the load for `seconds`, reporting each request's latency; `next` numbers each terminal's iterations. */
type Drive = (seconds: number, onLatency: (ms: number) => void, next: number[]) => Promise<DriveOutcome>;

/**
 * A closed loop per terminal: each of `terminals` loops signs and sends its next request as soon as
 * the previous answer arrives, over keep-alive connections (undici). Latency is measured per request.
 */
export class LoadGenerator {
  private readonly pool: Pool;

  constructor(
    baseUrl: string,
    private readonly masterKey: string,
    connections: number,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  async run(iteration: Iteration, terminals: number, seconds: number, warmupSeconds = 1.5): Promise<LoadResult> {
    return this.measure(terminals, seconds, warmupSeconds, (secs, onLatency, next) => this.loops(iteration, terminals, secs, onLatency, next));
  }

  /**
   * Open loop: iterations start at a fixed `iterationsPerSecond` whatever the answers do, each on a
   * free terminal of `terminals`. Latency counts from when a request was due, so a service that
   * falls behind shows it (no coordinated omission).
   */
  async runPaced(
    iteration: Iteration,
    terminals: number,
    iterationsPerSecond: number,
    seconds: number,
    warmupSeconds = 1.5,
  ): Promise<LoadResult & { targetPerSecond: number }> {
    const result = await this.measure(terminals, seconds, warmupSeconds, (secs, onLatency, next) =>
      this.paced(iteration, terminals, iterationsPerSecond, secs, onLatency, next),
    );
    return { ...result, targetPerSecond: iterationsPerSecond };
  }

  /** A warm-up, then the measured run: latencies, throughput and this process's CPU per request. */
  private async measure(terminals: number, seconds: number, warmupSeconds: number, drive: Drive): Promise<LoadResult> {
    // Iteration numbers carry on from the warm-up into the measured run: ids are never reused.
    const next = new Array<number>(terminals).fill(0);
    await drive(warmupSeconds, () => undefined, next);
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const out = await drive(seconds, (ms) => latencies.push(ms), next);
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    return {
      terminals,
      seconds: elapsed,
      perSecond: latencies.length / elapsed,
      iterationsPerSecond: out.iterations / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      requests: latencies.length,
      errors: out.errors,
      firstError: out.firstError,
      generatorCpuUs: (cpu.user + cpu.system) / Math.max(1, latencies.length),
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async paced(iteration: Iteration, terminals: number, perSecond: number, seconds: number, onLatency: (ms: number) => void, next: number[]) {
    const out: DriveOutcome = { iterations: 0, errors: 0, firstError: null };
    const interval = 1000 / perSecond;
    const start = performance.now();
    const total = Math.floor(seconds * perSecond);
    const free: number[] = Array.from({ length: terminals }, (_, w) => w);
    const waiting: (() => void)[] = [];
    const inFlight: Promise<void>[] = [];
    for (let k = 0; k < total; k++) {
      const due = start + k * interval;
      const delay = due - performance.now();
      if (delay > 1) await new Promise((r) => setTimeout(r, delay));
      if (free.length === 0) await new Promise<void>((r) => waiting.push(r));
      const w = free.pop()!;
      const n = next[w]!++;
      inFlight.push(
        (async () => {
          let dueAt = due;
          for (const shot of iteration(w, n)) {
            const error = await this.fire(shot, (ms) => {
              // From when it was due: a late start counts against the service.
              onLatency(ms + Math.max(0, performance.now() - ms - dueAt));
            });
            dueAt = performance.now();
            if (error) {
              out.errors++;
              out.firstError ??= error;
              break;
            }
          }
          out.iterations++;
          free.push(w);
          waiting.shift()?.();
        })(),
      );
    }
    await Promise.all(inFlight);
    return out;
  }

  private async loops(iteration: Iteration, terminals: number, seconds: number, onLatency: (ms: number) => void, next: number[]) {
    const deadline = performance.now() + seconds * 1000;
    const out: DriveOutcome = { iterations: 0, errors: 0, firstError: null };
    await Promise.all(
      Array.from({ length: terminals }, async (_, w) => {
        while (performance.now() < deadline) {
          const n = next[w]!++;
          for (const shot of iteration(w, n)) {
            const error = await this.fire(shot, onLatency);
            if (error) {
              out.errors++;
              out.firstError ??= error;
              break;
            }
          }
          out.iterations++;
        }
      }),
    );
    return out;
  }

  /** Sends one signed request; answers an error text, or null for a 200 ALLOW. */
  private async fire(shot: Shot, onLatency: (ms: number) => void): Promise<string | null> {
    const text = JSON.stringify(shot.body);
    const headers = {
      ...signTerminalRequest({ masterKey: this.masterKey, terminalId: shot.terminalId, method: 'POST', path: shot.path, body: text }),
      'content-type': 'application/json',
    };
    const t0 = performance.now();
    try {
      const res = await this.pool.request({ method: 'POST', path: shot.path, headers, body: text });
      const raw = await res.body.text();
      onLatency(performance.now() - t0);
      if (res.statusCode !== 200) return `${shot.path} → ${res.statusCode} ${raw.slice(0, 200)}`;
      const decision = /"decision":"(ALLOW|DENY)"/.exec(raw)?.[1];
      return decision === 'ALLOW' ? null : `${shot.path} → ${raw.slice(0, 200)}`;
    } catch (error) {
      return `${shot.path} → ${(error as Error).message}`;
    }
  }
}
