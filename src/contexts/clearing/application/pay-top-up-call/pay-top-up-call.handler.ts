import { medicalFundAccount } from '@contexts/medical';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { Problems } from '@onecard/kernel';
import { prepaymentAccount } from '../../domain/clearing-accounts.js';
import { CLEARING_COMMANDS } from '../../domain/clearing-commands.js';
import { ClearingRepository, type TopUpCallRow } from '../../infrastructure/clearing.repository.js';
import { PayTopUpCallCommand } from './pay-top-up-call.command.js';

interface TopUpPaid {
  callId: string;
  amountFen: number;
}

/** Pays a top-up call: a ledger transfer from the home region's fund into the prepayment, once (it runs alone). */
@CommandHandler(PayTopUpCallCommand)
export class PayTopUpCallHandler extends PlannedCommandHandler<PayTopUpCallCommand, TopUpPaid, { call: TopUpCallRow; replayed: boolean }> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: ClearingRepository,
  ) {
    super(executor);
  }

  /** A call paid already is journaled under the same id: the engine replays that payment. */
  protected async plan(c: PayTopUpCallCommand): Promise<CommandPlan<TopUpPaid>> {
    const [call] = await this.repository.topUpCalls({ callId: c.callId });
    if (!call) throw Problems.notFound(`No top-up call ${c.callId}.`);
    return {
      envelope: { type: CLEARING_COMMANDS.topUpPayment, id: c.callId, context: 'clearing', actor: c.actor, payload: { callId: c.callId } },
      decide: (_, tx) => this.pay(tx, call, c.actor),
    };
  }

  private async pay(tx: CommandTx, call: TopUpCallRow, actor: string): Promise<CommandOutcome<TopUpPaid>> {
    await this.repository.insertTopUpPayment(call.callId, call.amountFen, tx.now, actor, tx);
    return {
      decision: 'ALLOW',
      response: { callId: call.callId, amountFen: call.amountFen },
      transfers: [{ from: medicalFundAccount(call.home).code, to: prepaymentAccount(call.home, call.treatment).code, amount: call.amountFen }],
    };
  }

  protected override async answer(result: { replayed: boolean }, c: PayTopUpCallCommand): Promise<{ call: TopUpCallRow; replayed: boolean }> {
    const [paid] = await this.repository.topUpCalls({ callId: c.callId });
    return { call: paid!, replayed: result.replayed };
  }
}
