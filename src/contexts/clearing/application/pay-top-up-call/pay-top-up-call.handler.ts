import { medicalFundAccount } from '@contexts/medical';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Problems } from '@onecard/kernel';
import { CommandExecutor } from '@onecard/ledger';
import { prepaymentAccount } from '../../domain/clearing-accounts.js';
import { ClearingRepository, type TopUpCallRow } from '../../infrastructure/clearing.repository.js';
import { PayTopUpCallCommand, TOP_UP_PAYMENT_COMMAND } from './pay-top-up-call.command.js';

/** Pays a top-up call: a ledger transfer from the home region's fund into the prepayment, once. */
@CommandHandler(PayTopUpCallCommand)
export class PayTopUpCallHandler implements ICommandHandler<PayTopUpCallCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: ClearingRepository,
  ) {}

  async execute(c: PayTopUpCallCommand): Promise<{ call: TopUpCallRow; replayed: boolean }> {
    const [call] = await this.repository.topUpCalls({ callId: c.callId });
    if (!call) throw Problems.notFound(`No top-up call ${c.callId}.`);
    if (call.paidAt) return { call, replayed: true };
    const result = await this.executor.execute(
      { type: TOP_UP_PAYMENT_COMMAND, id: c.callId, context: 'clearing', actor: c.actor, payload: { callId: c.callId } },
      async (tx) => {
        await this.repository.insertTopUpPayment(call.callId, call.amountFen, tx.now, c.actor, tx);
        return {
          decision: 'ALLOW' as const,
          response: { callId: call.callId, amountFen: call.amountFen },
          transfers: [{ from: medicalFundAccount(call.home).code, to: prepaymentAccount(call.home, call.treatment).code, amount: call.amountFen }],
        };
      },
    );
    const [paid] = await this.repository.topUpCalls({ callId: c.callId });
    return { call: paid!, replayed: result.replayed };
  }
}
