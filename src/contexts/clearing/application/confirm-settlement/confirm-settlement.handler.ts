import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Problems } from '@onecard/kernel';
import { CommandExecutor } from '@onecard/ledger';
import { ClearingRepository, type SettlementRow } from '../../infrastructure/clearing.repository.js';
import { settlementPosition, type StatementBody } from '../statement-view.js';
import { ConfirmSettlementCommand, SETTLEMENT_COMMAND } from './confirm-settlement.command.js';

/**
 * Settlement confirmation: the amount must be exactly the region's position (daily lines for a
 * day's statement, medical for a month's), paid when it is negative and received when positive.
 * Journaled as a ledger command that moves no money; a second confirmation answers the first.
 */
@CommandHandler(ConfirmSettlementCommand)
export class ConfirmSettlementHandler implements ICommandHandler<ConfirmSettlementCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: ClearingRepository,
  ) {}

  async execute(c: ConfirmSettlementCommand): Promise<{ settlement: SettlementRow; replayed: boolean }> {
    const stored = await this.find(c);
    if (stored) return { settlement: stored, replayed: true };
    const record = await this.repository.statement(c.statementId);
    if (!record) throw Problems.notFound(`No closed statement ${c.statementId}.`);
    const position = settlementPosition(JSON.parse(record.body) as StatementBody, c.region);
    if (position === 0)
      throw Problems.conflict(`Region ${c.region} has nothing to settle in ${c.statementId} (net position 0).`, { code: 'NOTHING_TO_SETTLE' });
    if (c.amountFen !== Math.abs(position)) {
      throw Problems.conflict(
        `Region ${c.region} ${position < 0 ? 'owes' : 'is owed'} exactly ${Math.abs(position)} fen in ${c.statementId}; ${c.amountFen} fen does not settle it.`,
        { code: 'AMOUNT_MISMATCH', positionFen: position },
      );
    }
    const payload = { statementId: c.statementId, region: c.region, reference: c.reference, amountFen: c.amountFen, paidAt: c.paidAt.toISOString() };
    await this.executor.execute({ type: SETTLEMENT_COMMAND, id: `${c.statementId}:${c.region}`, context: 'clearing', actor: c.actor, payload }, async (tx) => {
      await this.repository.insertSettlement({ ...payload, recordedAt: tx.now.toISOString(), actor: c.actor }, tx);
      return {
        decision: 'ALLOW' as const,
        response: payload,
        details: { input: payload, facts: { positionFen: position }, outcome: payload, rule: 'clearing.settlement' },
      };
    });
    return { settlement: (await this.find(c))!, replayed: false };
  }

  private async find(c: ConfirmSettlementCommand): Promise<SettlementRow | null> {
    return (await this.repository.settlements(c.statementId)).find((s) => s.region === c.region) ?? null;
  }
}
