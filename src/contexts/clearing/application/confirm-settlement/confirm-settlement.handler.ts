import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { Problems } from '@onecard/kernel';
import { CLEARING_COMMANDS } from '../../domain/clearing-commands.js';
import { ClearingRepository, type SettlementRow } from '../../infrastructure/clearing.repository.js';
import { settlementPosition, type StatementBody } from '../statement-view.js';
import { ConfirmSettlementCommand } from './confirm-settlement.command.js';

type SettlementPayload = Omit<SettlementRow, 'recordedAt'>;

/**
 * Settlement confirmation: the amount must be exactly the region's position (daily lines for a
 * day's statement, medical for a month's), paid when it is negative and received when positive.
 * Journaled as a ledger command that moves no money; a second confirmation answers the first.
 */
@CommandHandler(ConfirmSettlementCommand)
export class ConfirmSettlementHandler extends PlannedCommandHandler<
  ConfirmSettlementCommand,
  SettlementPayload,
  { settlement: SettlementRow; replayed: boolean }
> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: ClearingRepository,
  ) {
    super(executor);
  }

  /** The settlement as recorded, whether by this confirmation or an earlier one. */
  override async execute(c: ConfirmSettlementCommand): Promise<{ settlement: SettlementRow; replayed: boolean }> {
    const stored = await this.find(c);
    if (stored) return { settlement: stored, replayed: true };
    return super.execute(c);
  }

  protected async plan(c: ConfirmSettlementCommand): Promise<CommandPlan<SettlementPayload>> {
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
    const payload: SettlementPayload = {
      statementId: c.statementId,
      region: c.region,
      reference: c.reference,
      amountFen: c.amountFen,
      paidAt: c.paidAt.toISOString(),
    };
    return {
      envelope: { type: CLEARING_COMMANDS.settlement, id: `${c.statementId}:${c.region}`, context: 'clearing', actor: c.actor, payload },
      decide: (_, tx) => this.record(tx, payload, position, c.actor),
    };
  }

  private async record(tx: CommandTx, payload: SettlementPayload, position: number, actor: string): Promise<CommandOutcome<SettlementPayload>> {
    await this.repository.insertSettlement({ ...payload, recordedAt: tx.now.toISOString(), actor }, tx);
    return {
      decision: 'ALLOW',
      response: payload,
      details: { input: payload, facts: { positionFen: position }, outcome: payload, rule: 'clearing.settlement' },
    };
  }

  protected override async answer(result: { replayed: boolean }, c: ConfirmSettlementCommand): Promise<{ settlement: SettlementRow; replayed: boolean }> {
    return { settlement: (await this.find(c))!, replayed: result.replayed };
  }

  private async find(c: ConfirmSettlementCommand): Promise<SettlementRow | null> {
    return (await this.repository.settlements(c.statementId)).find((s) => s.region === c.region) ?? null;
  }
}
