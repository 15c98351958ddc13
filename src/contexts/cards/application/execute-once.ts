import { ProblemError } from '@onecard/kernel';
import { CommandExecutor, type CommandEnvelope, type CommandOutcome, type CommandResult, type CommandTx } from '@onecard/ledger';

/**
 * Runs an admin command whose idempotency key is natural (a terminal id, a holder, a card state).
 * When two identical requests race, the loser's work finds the winner's change and refuses with a
 * 409; if the winner has journaled the same key with the same body, run again so the loser
 * replays the winner's answer instead of a conflict.
 */
export async function executeOnce<R>(
  executor: CommandExecutor,
  envelope: CommandEnvelope,
  work: (tx: CommandTx) => Promise<CommandOutcome<R>>,
): Promise<CommandResult<R>> {
  try {
    return await executor.execute(envelope, work);
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 409) {
      const stored = await executor.find(envelope.type, envelope.id);
      if (stored && stored.payload_hash === CommandExecutor.payloadHash(envelope)) return executor.execute(envelope, work);
    }
    throw error;
  }
}

/** The 409 an operator's UI shows when an operation does not fit the card's status. */
export function cardStatusConflict(
  detail: string,
  extensions: { cardNo: string; currentStatus: string; operation: string; allowedOperations?: string[] },
): ProblemError {
  return new ProblemError({ type: '/problems/card-status-conflict', title: 'Not allowed in the card status', status: 409, detail, ...extensions });
}
