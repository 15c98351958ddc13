import type { Clock } from '@onecard/kernel';
import { SimClock } from './sim-clock.js';
import type { Action, CardAccount } from './action.js';
import { DroppedConnection, type Answer, type SignedHttp } from './signed-http.js';
import type { RunStats } from './stats.js';

export interface RunOptions {
  clock: Clock;
  /** Stop after this much wall-clock time. */
  durationMs: number;
  /** Stop when simulated time passes this instant. */
  endAt: number;
  /** Terminals with a request in flight at most. */
  concurrency: number;
  /** Commands per second at most (undefined: as fast as the scenario asks). */
  rate?: number;
}

/** Net money per card account the answers reported (the double-charge audit). */
export type MoneyLedger = Map<string, { cardNo: string; account: CardAccount; delta: number }>;

/**
 * Plays actions at their simulated instants: a min-heap ordered by time, a concurrency limit, a
 * token bucket for `--rate`. An action's follow-ups join the heap when its answer arrives.
 */
export class Runner {
  private readonly heap: Action[] = [];
  private inFlight = 0;
  private tokens = 0;
  private lastRefill = performance.now();
  readonly money: MoneyLedger = new Map();
  private stopped = false;

  constructor(
    private readonly http: SignedHttp,
    private readonly stats: RunStats,
    private readonly opts: RunOptions,
  ) {}

  schedule(actions: Action[]): void {
    for (const a of actions) push(this.heap, a);
  }

  pending(): number {
    return this.heap.length + this.inFlight;
  }

  stop(): void {
    this.stopped = true;
  }

  async run(): Promise<void> {
    const wallEnd = performance.now() + this.opts.durationMs;
    while (!this.stopped && performance.now() < wallEnd) {
      const next = this.heap[0];
      if (!next) {
        if (this.inFlight === 0) break;
        await sleep(2);
        continue;
      }
      if (next.at > this.opts.endAt) {
        if (this.inFlight === 0) break;
        await sleep(2);
        continue;
      }
      const wait = next.at - this.opts.clock.now().getTime();
      if (wait > 0) {
        await sleep(Math.min(50, Math.max(1, wait / speedOf(this.opts.clock))));
        continue;
      }
      if (this.inFlight >= this.opts.concurrency || !this.takeToken()) {
        await sleep(1);
        continue;
      }
      pop(this.heap);
      this.inFlight++;
      void this.play(next).finally(() => this.inFlight--);
    }
    while (this.inFlight > 0) await sleep(5);
  }

  private takeToken(): boolean {
    if (!this.opts.rate) return true;
    const now = performance.now();
    this.tokens = Math.min(this.opts.rate, this.tokens + ((now - this.lastRefill) / 1000) * this.opts.rate);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private async play(action: Action): Promise<void> {
    const now = new Date(action.at);
    const body = action.body?.(now);
    let answer: Answer;
    try {
      answer = await this.send(action, body);
    } catch (error) {
      if (error instanceof DroppedConnection) {
        this.stats.dropped++;
        // The terminal never saw an answer: it retries with the same id and body.
        answer = await this.send({ ...action, fault: undefined }, body).catch((e: unknown) => this.failed(action, e));
      } else {
        answer = this.failed(action, error);
      }
    }
    if (answer.status === 0) return;
    this.check(action, answer);
    if (action.retry && answer.status < 500) {
      const again = await this.send({ ...action, fault: undefined }, body).catch((e: unknown) => this.failed(action, e));
      if (again.status !== 0 && (again.status !== answer.status || again.text !== answer.text)) {
        this.stats.flag(
          `${action.label}: a retry with the same id answered ${again.status} ${again.text.slice(0, 120)} after ${answer.status} ${answer.text.slice(0, 120)}`,
        );
      }
    }
    if (action.money && answer.status >= 200 && answer.status < 300) {
      for (const move of action.money(answer)) {
        if (!move.delta) continue;
        const key = `${move.cardNo}:${move.account}`;
        const entry = this.money.get(key) ?? { cardNo: move.cardNo, account: move.account, delta: 0 };
        entry.delta += move.delta;
        this.money.set(key, entry);
        this.stats.addMoney(move.region, action.context, Math.abs(move.delta));
      }
    }
    if (action.then && answer.status >= 200 && answer.status < 300) {
      const follows = action.then(answer, now);
      // What a person does at once (scan the 医保码 just shown) continues on this terminal's slot
      // instead of queueing behind everyone else; later steps wait for their time.
      const due = this.opts.clock.now().getTime();
      for (const follow of follows) if (follow.at > due) push(this.heap, follow);
      for (const follow of follows) if (follow.at <= due) await this.play(follow);
    }
  }

  private async send(action: Action, body: unknown): Promise<Answer> {
    const answer =
      action.terminalId === 'admin'
        ? await this.http.admin(action.method, action.path, body)
        : await this.http.terminal(action.terminalId, action.method, action.path, body, action.fault);
    this.stats.record(action.context, answer.status, answer.ms, answer.body);
    return answer;
  }

  private failed(action: Action, error: unknown): Answer {
    this.stats.flag(`${action.label}: request failed: ${(error as Error).message}`);
    return { status: 0, body: undefined, text: '', replayed: false, ms: 0 };
  }

  private check(action: Action, answer: Answer): void {
    if (answer.status >= 500) {
      this.stats.flag(`${action.label} → ${answer.status} ${answer.text.slice(0, 200)}`);
      return;
    }
    const expected = action.expect ?? 'decision';
    if (expected === 'decision') {
      if (answer.status < 200 || answer.status >= 300) this.stats.flag(`${action.label} → unexpected ${answer.status} ${answer.text.slice(0, 200)}`);
    } else if (answer.status !== expected) {
      this.stats.flag(`${action.label} → ${answer.status}, expected ${expected}: ${answer.text.slice(0, 200)}`);
    }
  }
}

function speedOf(clock: Clock): number {
  return clock instanceof SimClock ? clock.speed : 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// A binary min-heap on `at` (ties keep insertion order well enough for a simulation).
function push(heap: Action[], a: Action): void {
  heap.push(a);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]!.at <= heap[i]!.at) break;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function pop(heap: Action[]): Action | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l]!.at < heap[m]!.at) m = l;
      if (r < heap.length && heap[r]!.at < heap[m]!.at) m = r;
      if (m === i) break;
      [heap[m], heap[i]] = [heap[i]!, heap[m]!];
      i = m;
    }
  }
  return top;
}
