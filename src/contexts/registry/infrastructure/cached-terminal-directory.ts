import { Injectable } from '@nestjs/common';
import type { TerminalDirectory, TerminalIdentity } from '@onecard/platform';
import { RegistryRepository, terminalIdentity } from './registry.repository.js';

/**
 * How long another instance may keep using a terminal's cached state after a change made elsewhere
 * (ADR 0007). Changes made through this process are seen at once: the command invalidates the entry
 * after it commits.
 */
export const TERMINAL_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  value: TerminalIdentity | null;
  loadedAt: number;
}

/**
 * The TerminalDirectory the authentication guard uses: terminals (and unknown ids, so a flood of
 * bad ids cannot hammer the database) are cached for TERMINAL_CACHE_TTL_MS, so authenticating a tap
 * usually costs no database round trip. Concurrent misses for one id share one query.
 * Staleness is measured on the wall clock: it is about real time, not business time.
 */
@Injectable()
export class CachedTerminalDirectory implements TerminalDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<TerminalIdentity | null>>();
  /** Bumped on invalidation so a load that started before a change cannot store stale state. */
  private generation = 0;
  /** Wall-clock milliseconds; replaced in unit tests. */
  wallClock: () => number = () => Date.now();

  constructor(private readonly repository: RegistryRepository) {}

  async findTerminal(terminalId: string): Promise<TerminalIdentity | null> {
    const hit = this.entries.get(terminalId);
    if (hit && this.wallClock() - hit.loadedAt < TERMINAL_CACHE_TTL_MS) return hit.value;
    const inFlight = this.loading.get(terminalId);
    if (inFlight) return inFlight;
    const pending: Promise<TerminalIdentity | null> = this.load(terminalId).finally(() => {
      if (this.loading.get(terminalId) === pending) this.loading.delete(terminalId);
    });
    this.loading.set(terminalId, pending);
    return pending;
  }

  /** Loads every registered terminal (at start), so the first taps cost no query. */
  async loadAll(): Promise<number> {
    const generation = this.generation;
    const rows = await this.repository.listTerminals({});
    if (generation === this.generation) {
      const at = this.wallClock();
      for (const row of rows.slice(0, MAX_ENTRIES)) this.entries.set(row.terminalId, { value: terminalIdentity(row), loadedAt: at });
    }
    return rows.length;
  }

  /** Forget one terminal (after a committed change), or all of them. */
  invalidate(terminalId?: string): void {
    this.generation++;
    if (terminalId === undefined) this.entries.clear();
    else this.entries.delete(terminalId);
    if (terminalId === undefined) this.loading.clear();
    else this.loading.delete(terminalId);
  }

  private async load(terminalId: string): Promise<TerminalIdentity | null> {
    const generation = this.generation;
    const row = await this.repository.findTerminal(terminalId);
    const value: TerminalIdentity | null = row ? terminalIdentity(row) : null;
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(terminalId, { value, loadedAt: this.wallClock() });
    }
    return value;
  }
}
