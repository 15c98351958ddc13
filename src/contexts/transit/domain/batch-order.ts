/** What ordering needs of an uploaded tap. */
export interface OrderableTap {
  tapId: string;
  cardNo: string;
  tappedAt: Date;
  direction: 'IN' | 'OUT';
}

/**
 * The order an offline batch is processed in (ADR 0008): taps are grouped by card; within a card,
 * by `tappedAt`, then IN before OUT at the same instant (an entry and an exit at one instant can
 * only be that order), then by `tapId` so equal taps still order the same way on every run.
 * Answers, per card in order of first appearance, the input indices in processing order.
 */
export function batchProcessingOrder(taps: readonly OrderableTap[]): number[][] {
  const groups = new Map<string, number[]>();
  taps.forEach((tap, i) => {
    const group = groups.get(tap.cardNo);
    if (group) group.push(i);
    else groups.set(tap.cardNo, [i]);
  });
  const rank = (d: OrderableTap['direction']) => (d === 'IN' ? 0 : 1);
  return [...groups.values()].map((indices) =>
    [...indices].sort((a, b) => {
      const x = taps[a]!;
      const y = taps[b]!;
      return (
        x.tappedAt.getTime() - y.tappedAt.getTime() || rank(x.direction) - rank(y.direction) || (x.tapId < y.tapId ? -1 : x.tapId > y.tapId ? 1 : 0) || a - b
      );
    }),
  );
}
