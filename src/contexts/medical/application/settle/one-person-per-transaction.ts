/** Thrown when a second settlement of one person decides in a transaction: the batch fails and its commands run again one at a time. */
export class SamePersonInTransactionError extends Error {}

/** Transactions remembered: far more than the settlements of the batches that can be deciding at once. */
const REMEMBERED = 4096;

/**
 * Two settlements of one person must never decide in one transaction: both would read the same
 * year, personal account and earlier results, and neither would see the other's. Batch keys cannot
 * keep them apart — a person may hold two cards, and a 医保码 names its card only once used, in the
 * transaction. So each settlement that reaches the person's year claims (transaction, person)
 * here, the transaction as its year read named it (`pg_current_xact_id()`); a second claim in the
 * same transaction throws, which fails the batch, and the engine runs each of its commands again
 * on its own (ADR 0012), where the year's row lock makes them take turns.
 */
export class OnePersonPerTransaction {
  private readonly claims = new Map<string, string>();

  claim(transaction: string, holderId: string, settlementId: string): void {
    const key = `${transaction}/${holderId}`;
    const earlier = this.claims.get(key);
    if (earlier !== undefined && earlier !== settlementId) {
      throw new SamePersonInTransactionError(`settlements ${earlier} and ${settlementId} are of one person in one transaction`);
    }
    this.claims.set(key, settlementId);
    if (this.claims.size > REMEMBERED) this.claims.delete(this.claims.keys().next().value!);
  }
}
