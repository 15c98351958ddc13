import type { BulkFunding, CardBulkLoader, TopUpAccount } from '@contexts/cards';
import type { CardPlan } from './demo-cards.js';

export interface LoadResult {
  cards: number;
  skipped: number;
  funded: number;
  totalFen: number;
}

const FUNDING_LEGS_PER_COMMAND = 200;

/**
 * Issues planned cards in batches (one transaction each) and funds each batch with journaled
 * commands `cards.bulk-top-up` of up to 200 legs each, ids `<prefix>-<batch>-<part>`.
 */
export async function loadCards(
  loader: CardBulkLoader,
  plans: readonly CardPlan[],
  opts: { batchSize: number; commandIdPrefix: string; fund?: boolean; onBatch?: (done: number) => void },
): Promise<LoadResult> {
  const result: LoadResult = { cards: 0, skipped: 0, funded: 0, totalFen: 0 };
  for (let start = 0, batch = 1; start < plans.length; start += opts.batchSize, batch++) {
    const slice = plans.slice(start, start + opts.batchSize);
    const cardNos = await loader.issue(slice.map((p) => p.card));
    const fundings: BulkFunding[] = [];
    slice.forEach((p, i) => {
      const cardNo = cardNos[i];
      if (!cardNo) return;
      for (const [account, amountFen] of Object.entries(p.funding) as [TopUpAccount, number][]) fundings.push({ cardNo, account, amountFen });
    });
    result.cards += cardNos.filter(Boolean).length;
    result.skipped += cardNos.filter((c) => !c).length;
    if (opts.fund !== false) {
      // Funding commands stay small: the ledger's commit cost grows faster than linearly in legs.
      for (let from = 0, part = 1; from < fundings.length; from += FUNDING_LEGS_PER_COMMAND, part++) {
        const funded = await loader.fund(`${opts.commandIdPrefix}-${batch}-${part}`, fundings.slice(from, from + FUNDING_LEGS_PER_COMMAND));
        result.funded += funded.legs;
        result.totalFen += funded.totalFen;
      }
    }
    opts.onBatch?.(Math.min(start + opts.batchSize, plans.length));
  }
  return result;
}
