import { REGIONS, type BusinessDate, type Fen, type Region } from '@onecard/kernel';

export type LineCycle = 'DAILY' | 'MONTHLY';

/** A service line as data (`clearing.service_lines`). */
export interface ServiceLine {
  line: string;
  nameEn: string;
  nameZh: string;
  cycle: LineCycle;
}

/**
 * One cross-region leg on a service line: payer region → payee region, signed (a reversal or a
 * refund of the same flow is negative), with the day it happened and why it is in this statement.
 */
export interface ClearingItem {
  line: string;
  payer: Region;
  payee: Region;
  amountFen: Fen;
  eventDate: BusinessDate;
  /** Dated in an earlier, already closed day (an offline batch uploaded late). */
  late: boolean;
  /** A reversal of a command cleared in an earlier statement. */
  adjustment: boolean;
}

export interface StatementLine {
  payer: Region;
  payee: Region;
  line: string;
  /** Forward legs: their sum and number. */
  grossFen: Fen;
  count: number;
  /** Reversals and refunds of the flow (a positive number, taken off the gross). */
  reversedFen: Fen;
  reversedCount: number;
  netFen: Fen;
  lateFen: Fen;
  adjustmentFen: Fen;
}

/** A bilateral net: `payer` owes `payee` `amountFen` (> 0) after netting the two directions. */
export interface BilateralNet {
  payer: Region;
  payee: Region;
  amountFen: Fen;
}

/** A region's multilateral net position: positive, it is owed; negative, it owes. The three sum to zero. */
export interface NetPosition {
  region: Region;
  netFen: Fen;
}

export interface Netting {
  bilateral: BilateralNet[];
  positions: NetPosition[];
}

export interface StatementFigures {
  lines: StatementLine[];
  /** Every line together. */
  all: Netting;
  /** The lines settled per day (all but medical): posted at close between region clearing accounts. */
  daily: Netting;
  /** The lines settled per month (medical): per home → treatment region, drawn from the prepayment. */
  monthly: { home: Region; treatment: Region; amountFen: Fen }[];
  totals: { grossFen: Fen; reversedFen: Fen; netFen: Fen; count: number; lateCount: number; adjustmentCount: number };
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * The statement of a set of cleared items: gross and count per payer → payee and line, the
 * bilateral net of each pair and each region's multilateral position. Pure integer arithmetic:
 * every position is a sum of the same signed amounts, so the three positions sum to zero exactly.
 */
export function buildStatement(items: readonly ClearingItem[], lines: readonly ServiceLine[]): StatementFigures {
  const cycleOf = new Map(lines.map((l) => [l.line, l.cycle]));
  const position = new Map(lines.map((l, i) => [l.line, i]));
  const grouped = new Map<string, StatementLine>();
  let lateCount = 0;
  let adjustmentCount = 0;
  for (const item of items) {
    if (!cycleOf.has(item.line)) throw new Error(`item on unknown service line ${item.line}`);
    if (item.payer === item.payee) throw new Error('a cleared item crosses a regional border');
    const key = `${item.payer}|${item.payee}|${item.line}`;
    const row = grouped.get(key) ?? {
      payer: item.payer,
      payee: item.payee,
      line: item.line,
      grossFen: 0,
      count: 0,
      reversedFen: 0,
      reversedCount: 0,
      netFen: 0,
      lateFen: 0,
      adjustmentFen: 0,
    };
    if (item.amountFen >= 0) {
      row.grossFen += item.amountFen;
      row.count += 1;
    } else {
      row.reversedFen -= item.amountFen;
      row.reversedCount += 1;
    }
    row.netFen += item.amountFen;
    if (item.late) {
      row.lateFen += item.amountFen;
      lateCount++;
    }
    if (item.adjustment) {
      row.adjustmentFen += item.amountFen;
      adjustmentCount++;
    }
    grouped.set(key, row);
  }
  const sorted = [...grouped.values()].sort(byKey((l) => `${l.payer}|${l.payee}|${String(position.get(l.line)).padStart(4, '0')}`));
  const daily = sorted.filter((l) => cycleOf.get(l.line) === 'DAILY');
  const monthlyPairs = new Map<string, { home: Region; treatment: Region; amountFen: Fen }>();
  for (const l of sorted.filter((l) => cycleOf.get(l.line) === 'MONTHLY')) {
    const key = `${l.payer}|${l.payee}`;
    const pair = monthlyPairs.get(key) ?? { home: l.payer, treatment: l.payee, amountFen: 0 };
    pair.amountFen += l.netFen;
    monthlyPairs.set(key, pair);
  }
  return {
    lines: sorted,
    all: net(sorted),
    daily: net(daily),
    monthly: [...monthlyPairs.values()].filter((p) => p.amountFen !== 0),
    totals: {
      grossFen: sorted.reduce((s, l) => s + l.grossFen, 0),
      reversedFen: sorted.reduce((s, l) => s + l.reversedFen, 0),
      netFen: sorted.reduce((s, l) => s + l.netFen, 0),
      count: sorted.reduce((s, l) => s + l.count + l.reversedCount, 0),
      lateCount,
      adjustmentCount,
    },
  };
}

/** Nets flows payer → payee: one bilateral amount per pair of regions, and each region's position. */
export function net(flows: readonly { payer: Region; payee: Region; netFen: Fen }[]): Netting {
  const owes = (a: Region, b: Region) => flows.filter((f) => f.payer === a && f.payee === b).reduce((s, f) => s + f.netFen, 0);
  const bilateral: BilateralNet[] = [];
  REGIONS.forEach((a, i) => {
    for (const b of REGIONS.slice(i + 1)) {
      const d = owes(a, b) - owes(b, a);
      if (d > 0) bilateral.push({ payer: a, payee: b, amountFen: d });
      if (d < 0) bilateral.push({ payer: b, payee: a, amountFen: -d });
    }
  });
  const positions = REGIONS.map((region) => ({
    region,
    netFen: bilateral.reduce((s, b) => s + (b.payee === region ? b.amountFen : 0) - (b.payer === region ? b.amountFen : 0), 0),
  }));
  return { bilateral, positions };
}

/** The 3 × 3 matrix payer (row) → payee (column) of net amounts over every line, for the dashboard. */
export function clearingMatrix(lines: readonly StatementLine[]): { payer: Region; payee: Region; netFen: Fen }[] {
  return REGIONS.flatMap((payer) =>
    REGIONS.map((payee) => ({ payer, payee, netFen: lines.filter((l) => l.payer === payer && l.payee === payee).reduce((s, l) => s + l.netFen, 0) })),
  );
}
