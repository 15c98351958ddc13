import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/** Keys remembered at most (terminal id × address); the oldest are forgotten first. */
const MAX_KEYS = 20_000;

/**
 * Counts failed terminal authentications (401s) per (terminal id, source address) over a sliding
 * window (ADR 0014): after AUTH_FAILURE_LIMIT in AUTH_FAILURE_WINDOW_MS, that pair is refused with
 * 429 before anything is verified, until its oldest failure leaves the window — so a stolen
 * terminal id allows at most LIMIT guesses per window from one address, and the real terminal,
 * calling from its own address, is never locked out by someone else's guesses.
 * In memory, per instance; wall-clock time (replaceable in tests).
 */
@Injectable()
export class FailedSignatureThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  wallClock: () => number = () => Date.now();

  constructor(config: AppConfig) {
    this.limit = config.env.AUTH_FAILURE_LIMIT;
    this.windowMs = config.env.AUTH_FAILURE_WINDOW_MS;
  }

  /** Seconds until this pair may try again, or 0 if it may now. */
  retryAfterSeconds(terminalId: string, address: string): number {
    const times = this.recent(key(terminalId, address));
    if (times.length < this.limit) return 0;
    return Math.max(1, Math.ceil((times[0]! + this.windowMs - this.wallClock()) / 1000));
  }

  recordFailure(terminalId: string, address: string): void {
    const k = key(terminalId, address);
    const times = this.recent(k);
    times.push(this.wallClock());
    this.failures.delete(k); // re-insert: Map order is then least recently failed first
    this.failures.set(k, times.slice(-this.limit));
    if (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(k: string): number[] {
    const since = this.wallClock() - this.windowMs;
    const times = (this.failures.get(k) ?? []).filter((t) => t > since);
    if (times.length === 0) this.failures.delete(k);
    return times;
  }
}

function key(terminalId: string, address: string): string {
  // Ids are at most 64 characters when valid; a longer claimed id still counts, by its first 64.
  return `${address}\n${terminalId.slice(0, 64)}`;
}
