import { Command } from '@nestjs/cqrs';
import type { ProblemDetails } from '@onecard/kernel';
import type { GateContext, TapAnswer } from '../tap-card/tap-card.command.js';

export interface BatchTap {
  tapId: string;
  cardNo: string;
  tappedAt: Date;
}

/** One tap's answer in a batch: the tap's own answer, or the problem that kept it from being processed (409). */
export type BatchTapResult = ({ tapId: string; replayed: boolean } & TapAnswer) | { tapId: string; problem: ProblemDetails };

export interface BatchAnswer {
  taps: BatchTapResult[];
}

/** Taps a gate recorded while offline, uploaded together: each processed as if it had arrived at `tappedAt`. */
export class TapBatchCommand extends Command<BatchAnswer> {
  constructor(
    readonly taps: readonly BatchTap[],
    readonly gate: GateContext,
  ) {
    super();
  }
}
