import { Injectable } from '@nestjs/common';
import type { DecisionDetails, RuleRef } from '@onecard/kernel';
import type { RuleBook } from './rule-book.js';

/** What the journal recorded about the decision besides its details. */
export interface RecordedDecision {
  commandType: string;
  commandId: string;
  ruleSet: RuleRef | null;
  eventTime: Date;
}

/**
 * Recomputes a decision's outcome from its recorded details (input + facts) for an auditor
 * (`POST /v1/admin/decisions/{commandId}/replay`). `rules` is pinned to the rule set version the
 * decision recorded: resolving that rule set's kind for its region answers with the recorded
 * version whatever the date, so a replayer may call `rules.resolve(...)` exactly as the live
 * handler does. It must be a pure function of its arguments: no database, no clock.
 */
export interface DecisionReplayer {
  readonly commandTypes: string[];
  replay(details: DecisionDetails, rules: RuleBook, recorded: RecordedDecision): Record<string, unknown>;
}

/** Contexts register their replayers here in `onModuleInit`. */
@Injectable()
export class ReplayRegistry {
  private readonly replayers = new Map<string, DecisionReplayer>();

  register(replayer: DecisionReplayer): void {
    for (const type of replayer.commandTypes) {
      const existing = this.replayers.get(type);
      if (existing && existing !== replayer) throw new Error(`a replayer for command type ${type} is already registered`);
      this.replayers.set(type, replayer);
    }
  }

  replayerFor(commandType: string): DecisionReplayer | null {
    return this.replayers.get(commandType) ?? null;
  }

  commandTypes(): string[] {
    return [...this.replayers.keys()].sort();
  }
}
