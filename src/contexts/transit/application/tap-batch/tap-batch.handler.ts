import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemError } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import { batchProcessingOrder } from '../../domain/batch-order.js';
import { TapCardCommand, type TapAnswer } from '../tap-card/tap-card.command.js';
import { TapBatchCommand, type BatchAnswer, type BatchTapResult } from './tap-batch.command.js';

/** Cards processed side by side; one card's taps always one after another, in order. */
const CARD_CONCURRENCY = 4;

/**
 * An offline batch (ADR 0008): grouped per card and processed in `batchProcessingOrder` (tappedAt,
 * then IN before OUT, then tapId), each tap as its own journaled, idempotent `transit.tap` command
 * (a tap sent online and again in a batch is one command); answers in input order.
 */
@CommandHandler(TapBatchCommand)
export class TapBatchHandler implements ICommandHandler<TapBatchCommand> {
  constructor(private readonly commands: CommandBus) {}

  async execute(c: TapBatchCommand): Promise<BatchAnswer> {
    const groups = batchProcessingOrder(c.taps.map((t) => ({ ...t, direction: c.gate.direction })));
    const results: BatchTapResult[] = new Array(c.taps.length);
    let next = 0;
    const worker = async () => {
      while (next < groups.length) {
        const group = groups[next++]!;
        for (const i of group) results[i] = await this.process(c, i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CARD_CONCURRENCY, groups.length) }, worker));
    return { taps: results };
  }

  private async process(c: TapBatchCommand, i: number): Promise<BatchTapResult> {
    const tap = c.taps[i]!;
    try {
      const result: CommandResult<TapAnswer> = await this.commands.execute(new TapCardCommand(tap.tapId, tap.cardNo, tap.tappedAt, c.gate));
      return { tapId: tap.tapId, replayed: result.replayed, ...result.response };
    } catch (error) {
      // A reused tapId with another body: that tap alone is refused; the rest of the batch stands.
      if (error instanceof ProblemError && error.problem.status === 409) return { tapId: tap.tapId, problem: error.problem };
      throw error;
    }
  }
}
