import { batchProcessingOrder, type OrderableTap } from './batch-order.js';

const tap = (tapId: string, cardNo: string, hhmm: string, direction: 'IN' | 'OUT' = 'IN'): OrderableTap => ({
  tapId,
  cardNo,
  direction,
  tappedAt: new Date(`2026-03-02T${hhmm}:00+08:00`),
});

describe('offline batch ordering', () => {
  it('groups by card in order of first appearance and sorts each card by tappedAt', () => {
    const taps = [tap('a', 'T1', '18:00'), tap('b', 'T2', '07:00'), tap('c', 'T1', '08:00'), tap('d', 'T2', '06:00')];
    expect(batchProcessingOrder(taps)).toEqual([
      [2, 0],
      [3, 1],
    ]);
  });

  it('puts IN before OUT at the same instant, then orders by tapId, then by position', () => {
    const taps = [tap('z', 'T1', '08:00', 'OUT'), tap('y', 'T1', '08:00', 'IN'), tap('b', 'T1', '09:00'), tap('a', 'T1', '09:00'), tap('a', 'T1', '09:00')];
    expect(batchProcessingOrder(taps)).toEqual([[1, 0, 3, 4, 2]]);
  });

  it('gives the same order whatever order the taps arrive in', () => {
    const taps = [tap('1', 'T1', '08:00'), tap('2', 'T1', '08:30', 'OUT'), tap('3', 'T2', '08:05'), tap('4', 'T1', '17:00'), tap('5', 'T1', '17:40', 'OUT')];
    const ids = (list: OrderableTap[]) => batchProcessingOrder(list).map((g) => g.map((i) => list[i]!.tapId));
    const reversed = [...taps].reverse();
    expect(ids(taps)).toEqual([['1', '2', '4', '5'], ['3']]);
    expect(ids(reversed).sort()).toEqual(ids(taps).sort());
  });

  it('answers nothing for an empty batch', () => {
    expect(batchProcessingOrder([])).toEqual([]);
  });
});
