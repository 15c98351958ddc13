import type { TapInDecision, TapOutDecision } from '../../domain/tap.rule.js';

/**
 * The recomputable part of a tap decision, as journaled in `details.outcome` and compared on
 * replay: no generated ids, nothing read from outside the recorded facts.
 */
export function tapInOutcome(d: TapInDecision): Record<string, unknown> {
  if (d.decision === 'DENY') return { decision: 'DENY', reason: d.reason.code };
  return {
    decision: 'ALLOW',
    reservationId: d.slip?.reservationId ?? null,
    trainNo: d.slip?.trainNo ?? null,
    terminus: d.terminus,
    requiredFen: d.requiredFen,
    completedByExitTap: d.completion?.exit.tapId ?? null,
    fareFen: d.completion?.fare.fareFen ?? 0,
  };
}

export function tapOutOutcome(d: TapOutDecision): Record<string, unknown> {
  if (d.decision === 'DENY') return { decision: 'DENY', reason: d.reason.code };
  return { decision: 'ALLOW', fareFen: d.fare.fareFen, fareRule: d.fare.rule };
}
