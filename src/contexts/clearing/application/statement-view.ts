import type { Fen, Region } from '@onecard/kernel';
import type { PrepaymentMovement } from '../domain/prepayment.rule.js';
import type { Netting, StatementFigures } from '../domain/statement.js';
import type { StatementRecord } from '../domain/statement-chain.js';
import type { SettlementRow } from '../infrastructure/clearing.repository.js';

/** The frozen body of a day's statement, as hashed. */
export interface DayStatementBody {
  statementId: string;
  kind: 'DAY';
  date: string;
  closedAt: string;
  figures: StatementFigures;
  /** Medical lines: each pair's prepayment movement at this close. */
  prepayments: PrepaymentMovement[];
  topUpCalls: { callId: string; home: Region; treatment: Region; amountFen: Fen }[];
  /** The ledger transfers the close posted (command `clearing.close-day:<date>`). */
  transfers: { from: string; to: string; amountFen: Fen }[];
}

/** The frozen body of a month's medical statement, as hashed. */
export interface MonthStatementBody {
  statementId: string;
  kind: 'MONTH';
  month: string;
  closedAt: string;
  days: string[];
  /** The month's medical obligations per line and pair, netted per region. */
  lines: StatementFigures['lines'];
  netting: Netting;
  prepayments: MonthPrepayment[];
}

export interface MonthPrepayment {
  home: Region;
  treatment: Region;
  prepaymentFen: Fen;
  thresholdFen: Fen;
  /** Balance before the month's first close. */
  openingFen: Fen;
  toppedUpFen: Fen;
  drawnFen: Fen;
  /** Top-up calls paid in during the month. */
  calledInFen: Fen;
  /** Balance after the last closed day: positive, the treatment region holds it for the home; negative, the home owes it. */
  remainderFen: Fen;
  owedBy: Region | null;
  owedTo: Region | null;
}

export type StatementBody = DayStatementBody | MonthStatementBody;

export interface ClosedStatement {
  statementId: string;
  seq: number;
  kind: 'DAY' | 'MONTH';
  period: string;
  closedAt: string;
  hash: string;
  prevHash: string;
  body: StatementBody;
  settlements: SettlementRow[];
  /** Set when a region-scoped token reads it: only that region's side is shown. */
  scope: Region | null;
}

export function toClosedStatement(r: StatementRecord, settlements: SettlementRow[], scope: Region | null): ClosedStatement {
  const body = JSON.parse(r.body) as StatementBody;
  return {
    statementId: r.statementId,
    seq: r.seq,
    kind: r.kind,
    period: r.period,
    closedAt: r.closedAt,
    hash: r.hash,
    prevHash: r.prevHash,
    body: scope ? scopeBody(body, scope) : body,
    settlements: scope ? settlements.filter((s) => s.region === scope) : settlements,
    scope,
  };
}

/** The region's side of a statement: the flows it pays or receives and its own position. */
export function scopeBody<B extends StatementBody>(body: B, region: Region): B {
  const side = <T extends { payer: Region; payee: Region }>(rows: T[]) => rows.filter((r) => r.payer === region || r.payee === region);
  const netting = (n: Netting): Netting => ({ bilateral: side(n.bilateral), positions: n.positions.filter((p) => p.region === region) });
  const pair = <T extends { home: Region; treatment: Region }>(rows: T[]) => rows.filter((r) => r.home === region || r.treatment === region);
  if (body.kind === 'DAY') {
    const f = body.figures;
    return {
      ...body,
      figures: { ...f, lines: side(f.lines), all: netting(f.all), daily: netting(f.daily), monthly: pair(f.monthly) },
      prepayments: pair(body.prepayments),
      topUpCalls: pair(body.topUpCalls),
      transfers: body.transfers.filter((t) => t.from.includes(`:${region}`) || t.to.includes(`:${region}`)),
    };
  }
  return { ...body, lines: side(body.lines), netting: netting(body.netting), prepayments: pair(body.prepayments) };
}

/** The multilateral position a region settles for a statement: daily lines for a day, medical for a month. */
export function settlementPosition(body: StatementBody, region: Region): Fen {
  const positions = body.kind === 'DAY' ? body.figures.daily.positions : body.netting.positions;
  return positions.find((p) => p.region === region)?.netFen ?? 0;
}
