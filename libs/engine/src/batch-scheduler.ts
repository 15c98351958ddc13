/** How the engine may commit concurrent commands together (ADR 0012 "Group commit"). */
export interface BatchOptions {
  enabled: boolean;
  /** Commands in one transaction at most. */
  maxBatch: number;
  /** Batches in flight at once (each on its own connection). */
  maxConcurrentBatches: number;
}

export interface Batchable {
  /** The command's batch keys, the first deciding the batch's lock order, and its own command key. */
  readonly keys: readonly string[];
}

/**
 * Group commit's scheduling: while batches are in flight, commands queue; each free slot takes
 * every queued command whose keys are free (up to `maxBatch`) into one batch. Commands sharing a
 * key never share a batch nor run in two batches at once. Under light load a batch is one command:
 * no wait is ever added.
 */
export class BatchScheduler<T extends Batchable> {
  private readonly queue: T[] = [];
  private readonly busyKeys = new Set<string>();
  private inFlight = 0;

  constructor(
    private readonly options: Pick<BatchOptions, 'maxBatch' | 'maxConcurrentBatches'>,
    private readonly runBatch: (batch: T[]) => Promise<void>,
  ) {}

  submit(item: T): void {
    this.queue.push(item);
    this.pump();
  }

  /** Commands waiting for a batch. */
  get queued(): number {
    return this.queue.length;
  }

  private pump(): void {
    const { maxBatch, maxConcurrentBatches } = this.options;
    while (this.inFlight < maxConcurrentBatches && this.queue.length > 0) {
      const batch: T[] = [];
      const keys = new Set<string>();
      for (let i = 0; i < this.queue.length && batch.length < maxBatch;) {
        const item = this.queue[i]!;
        if (item.keys.some((k) => this.busyKeys.has(k) || keys.has(k))) {
          i++;
          continue;
        }
        for (const k of item.keys) keys.add(k);
        batch.push(item);
        this.queue.splice(i, 1);
      }
      if (batch.length === 0) return;
      for (const k of keys) this.busyKeys.add(k);
      this.inFlight++;
      // One lock order for the rows the batch's reads lock: the commands' first keys, sorted.
      batch.sort((a, b) => (a.keys[0]! < b.keys[0]! ? -1 : a.keys[0]! > b.keys[0]! ? 1 : 0));
      void this.runBatch(batch).finally(() => {
        for (const k of keys) this.busyKeys.delete(k);
        this.inFlight--;
        this.pump();
      });
    }
  }
}
