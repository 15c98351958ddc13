import type { Fen, Reason } from '@onecard/kernel';
import { medicalReason } from '../../domain/medical-reasons.js';

/** What a reversal reads about the settlement it undoes. */
export interface ReversalFacts {
  /** SETTLED: accepted and standing; REVERSED: already undone; DENIED: refused, nothing was paid. */
  status: 'SETTLED' | 'REVERSED' | 'DENIED';
  reversedBy?: string | null;
  amounts?: { totalFen: Fen; fundFen: Fen; personalAccountFen: Fen; cashFen: Fen };
}

export type ReversalDecision = { refusal: Reason } | { reverse: NonNullable<ReversalFacts['amounts']> };

/** Pure: shared by the handler and the replayer. */
export function decideReversal(facts: ReversalFacts): ReversalDecision {
  if (facts.status === 'DENIED') return { refusal: medicalReason('NOTHING_TO_REVERSE') };
  if (facts.status === 'REVERSED') return { refusal: medicalReason('ALREADY_REVERSED') };
  if (!facts.amounts) throw new Error('a standing settlement needs its amounts');
  return { reverse: facts.amounts };
}

export function reversalOutcome(decision: ReversalDecision): Record<string, unknown> {
  return 'refusal' in decision ? { refused: decision.refusal.code } : { reversed: decision.reverse };
}
