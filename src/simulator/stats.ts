/** Counters and latencies of a run. Latencies are kept whole (a run is at most a few million requests). */
export class RunStats {
  readonly started = performance.now();
  sent = 0;
  /** Key `context decision reason`, e.g. `transit ALLOW -`, `medical DENY CARD_LOST`. */
  readonly decisions = new Map<string, number>();
  /** Key `context status`, for non-2xx answers. */
  readonly statuses = new Map<string, number>();
  readonly unexpected: string[] = [];
  serverErrors = 0;
  dropped = 0;
  private readonly latencies: number[] = [];
  /** Money the service reported moving, per region and context (fen). */
  readonly moneyByRegion = new Map<string, number>();

  record(context: string, status: number, ms: number, body: any): void {
    this.sent++;
    this.latencies.push(ms);
    if (status >= 500) this.serverErrors++;
    if (status >= 200 && status < 300 && body && typeof body === 'object' && 'decision' in body) {
      const key = `${context} ${body.decision} ${body.reason?.code ?? '-'}`;
      this.decisions.set(key, (this.decisions.get(key) ?? 0) + 1);
    } else if (status < 200 || status >= 300) {
      const key = `${context} ${status}`;
      this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    }
  }

  addMoney(region: string, context: string, fen: number): void {
    if (!fen) return;
    const key = `${region} ${context}`;
    this.moneyByRegion.set(key, (this.moneyByRegion.get(key) ?? 0) + fen);
  }

  flag(message: string): void {
    if (this.unexpected.length < 50) this.unexpected.push(message);
    else if (this.unexpected.length === 50) this.unexpected.push('… more');
  }

  count(predicate: (decision: string) => boolean): number {
    let n = 0;
    for (const [k, v] of this.decisions) if (predicate(k)) n += v;
    return n;
  }

  percentile(p: number): number {
    if (this.latencies.length === 0) return 0;
    const sorted = Float64Array.from(this.latencies).sort();
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }
}
