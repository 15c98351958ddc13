import type { PrepaymentMovement } from '../domain/prepayment.rule.js';
import { crossRegionPairs } from '../domain/prepayment.rule.js';
import { buildStatement, net, type ServiceLine } from '../domain/statement.js';
import type { ClearingRepository, Queryable } from '../infrastructure/clearing.repository.js';
import type { DayStatementBody, MonthPrepayment, MonthStatementBody } from './statement-view.js';

/**
 * A month's medical figures from its closed days: the medical obligations per pair and line,
 * netted per region, and each prepayment's month (opening, topped up, called in, drawn, remainder).
 */
export async function monthFigures(
  repository: ClearingRepository,
  month: string,
  lines: readonly ServiceLine[],
  q: Queryable,
): Promise<Pick<MonthStatementBody, 'days' | 'lines' | 'netting' | 'prepayments'>> {
  const days = await repository.statements('DAY', `${month}-01`, `${month}-31`, q);
  const monthly = new Set(lines.filter((l) => l.cycle === 'MONTHLY').map((l) => l.line));
  const items = (
    await repository.statementItems(
      days.map((d) => d.seq),
      q,
    )
  ).filter((i) => monthly.has(i.line));
  const figures = buildStatement(items, lines);
  const bodies = days.map((d) => JSON.parse(d.body) as DayStatementBody);
  // Top-ups paid on a call between the month's first close and its last (the balances closes read include them).
  const first = days[0]?.closedAt ?? '';
  const last = days[days.length - 1]?.closedAt ?? '';
  const paid = (await repository.topUpCalls({}, q)).filter((c) => c.paidAt !== null && c.paidAt > first && c.paidAt <= last);
  const prepayments: MonthPrepayment[] = crossRegionPairs().map(({ home, treatment }) => {
    const moves = bodies.map((b) => b.prepayments.find((p) => p.home === home && p.treatment === treatment)).filter((m): m is PrepaymentMovement => !!m);
    const lastMove = moves[moves.length - 1];
    const remainderFen = lastMove?.balanceAfterFen ?? 0;
    return {
      home,
      treatment,
      prepaymentFen: lastMove?.prepaymentFen ?? 0,
      thresholdFen: lastMove?.thresholdFen ?? 0,
      openingFen: moves[0]?.balanceBeforeFen ?? 0,
      toppedUpFen: moves.reduce((s, m) => s + m.topUpFen, 0),
      calledInFen: paid.filter((c) => c.home === home && c.treatment === treatment).reduce((s, c) => s + c.amountFen, 0),
      drawnFen: moves.reduce((s, m) => s + m.drawFen, 0),
      remainderFen,
      owedBy: remainderFen > 0 ? treatment : remainderFen < 0 ? home : null,
      owedTo: remainderFen > 0 ? home : remainderFen < 0 ? treatment : null,
    };
  });
  return { days: bodies.map((b) => b.date), lines: figures.lines, netting: net(figures.lines), prepayments };
}
