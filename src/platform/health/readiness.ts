import { Injectable } from '@nestjs/common';

/** Where the start stands: the process is up from the first moment; it is ready after these. */
export type StartupPhase = 'waiting-for-database' | 'migrating' | 'loading' | 'ready' | 'failed';

export interface ReadinessView {
  phase: StartupPhase;
  /** Attempts to reach the database so far (1 on a start that found it at once). */
  attempts: number;
  /** Why the last attempt failed (an error code or message, no secrets), if it did. */
  lastError: string | null;
  /** Milliseconds until the next attempt, while waiting. */
  retryInMs: number | null;
}

/**
 * The service's readiness (ADR 0014): until the database answered, migrations ran, the rules and
 * the terminal directory are loaded, terminal and admin calls get 503 + Retry-After and
 * `/health/ready` is 503; `/health/live` answers from the start. The startup (`src/startup.ts`)
 * moves the phases; the readiness gate and the health controller read them.
 */
@Injectable()
export class Readiness {
  private view: ReadinessView = { phase: 'waiting-for-database', attempts: 0, lastError: null, retryInMs: null };

  get ready(): boolean {
    return this.view.phase === 'ready';
  }

  get state(): ReadinessView {
    return { ...this.view };
  }

  /** What a client should wait before retrying, in whole seconds (at least 1). */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.view.retryInMs ?? 1000) / 1000));
  }

  attempt(phase: 'migrating' | 'loading'): void {
    if (phase === 'migrating') this.view.attempts++;
    this.view = { ...this.view, phase, retryInMs: null };
  }

  waiting(error: string, retryInMs: number): void {
    this.view = { ...this.view, phase: 'waiting-for-database', lastError: error, retryInMs };
  }

  markReady(): void {
    this.view = { ...this.view, phase: 'ready', retryInMs: null };
  }

  fail(error: string): void {
    this.view = { ...this.view, phase: 'failed', lastError: error, retryInMs: null };
  }
}
