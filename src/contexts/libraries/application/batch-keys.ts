/**
 * The batch keys of circulation commands (ADR 0012): commands sharing one never share a batch.
 * One item's loans, returns and renewals share `item:<barcode>`; one holder's commands share
 * `holder:<holderId>` (loan counts, fines, the patron row); whatever moves a card's bank balance
 * shares `card:<cardNo>` with every other context's commands on that card.
 */
export const itemKey = (barcode: string): string => `item:${barcode}`;
export const holderKey = (holderId: string): string => `holder:${holderId}`;
export const cardKey = (cardNo: string): string => `card:${cardNo}`;

/**
 * Thrown by a step whose reads found another holder or loan than the one its plan was keyed by (the
 * card was issued, or the item returned and lent again, between planning and running): deciding
 * would leave the batch keys short, so the command is planned again instead (`withFreshPlan`).
 */
export class StalePlanError extends Error {}

const ATTEMPTS = 3;

/** Runs a command, planning it again while its steps find the plan stale. */
export async function withFreshPlan<A>(run: () => Promise<A>): Promise<A> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof StalePlanError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** The holder the reads found is the one the plan was keyed by, or the plan is stale. */
export function assertKeyedHolder(planned: string | null, found: string): void {
  if (planned !== found) throw new StalePlanError(`planned for holder ${planned ?? '(none)'}, found ${found}`);
}
