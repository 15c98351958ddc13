import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, formatBusinessInstant, type Clock } from '@onecard/kernel';
import { RuleBook, TransitNetworkRules } from '@onecard/rules';
import { DataSource } from 'typeorm';
import { NETWORK_REGION } from '../../infrastructure/timetable-cache.js';
import {
  CardJourneysQuery,
  JourneysByOdQuery,
  ListJourneysQuery,
  StationRevenueQuery,
  type JourneyView,
  type OdPairRow,
  type StationRevenueRow,
} from './journey-reports.query.js';

const JOURNEY_COLUMNS = `journey_id, card_no, status, entry_station, entry_gate, entry_at, train_no, terminus, reservation_id, required_fen,
  exit_station, exit_gate, exit_at, fare_fen, charged_fen, closed_by, rule_set_id, rule_version`;

function toView(r: Record<string, any>): JourneyView {
  return {
    journeyId: r.journey_id,
    cardNo: r.card_no,
    status: r.status,
    entryStation: r.entry_station,
    entryGate: r.entry_gate,
    entryAt: formatBusinessInstant(r.entry_at),
    trainNo: r.train_no,
    terminus: r.terminus,
    reservationId: r.reservation_id,
    requiredFen: r.required_fen,
    exitStation: r.exit_station,
    exitGate: r.exit_gate,
    exitAt: r.exit_at ? formatBusinessInstant(r.exit_at) : null,
    fareFen: r.fare_fen,
    chargedFen: r.charged_fen,
    closedBy: r.closed_by,
    ruleSet: { id: r.rule_set_id, version: r.rule_version },
  };
}

@QueryHandler(JourneysByOdQuery)
export class JourneysByOdHandler implements IQueryHandler<JourneysByOdQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: JourneysByOdQuery): Promise<OdPairRow[]> {
    const rows = await this.dataSource.query(
      // A missing tap-out charged after 7 days has the station it was charged to as its exit: its own row, marked.
      `SELECT entry_station, exit_station, status = 'INCOMPLETE_CHARGED' AS incomplete, count(*)::int AS journeys, coalesce(sum(charged_fen), 0)::bigint AS fare
       FROM transit.journeys WHERE entry_date = $1 AND status <> 'OPEN'
       GROUP BY entry_station, exit_station, incomplete ORDER BY entry_station, exit_station, incomplete`,
      [q.date],
    );
    return rows.map((r: any) => ({
      fromStation: r.entry_station,
      toStation: r.exit_station,
      journeys: r.journeys,
      fareFen: r.fare,
      incompleteCharged: r.incomplete,
    }));
  }
}

@QueryHandler(StationRevenueQuery)
export class StationRevenueHandler implements IQueryHandler<StationRevenueQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: StationRevenueQuery): Promise<StationRevenueRow[]> {
    const rows = await this.dataSource.query(
      `SELECT entry_station, count(*)::int AS journeys, coalesce(sum(charged_fen), 0)::bigint AS revenue
       FROM transit.journeys WHERE closed_date = $1 GROUP BY entry_station ORDER BY entry_station`,
      [q.date],
    );
    return rows.map((r: any) => ({ station: r.entry_station, journeys: r.journeys, revenueFen: r.revenue }));
  }
}

@QueryHandler(ListJourneysQuery)
export class ListJourneysHandler implements IQueryHandler<ListJourneysQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RuleBook,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(q: ListJourneysQuery): Promise<JourneyView[]> {
    if (q.status === 'UNRESOLVED') {
      const now = this.clock.now();
      const minutes = this.rules.find(TransitNetworkRules, NETWORK_REGION, now)?.parameters.missingTapOut.unresolvedAfterMinutes ?? 0;
      const rows = await this.dataSource.query(
        `SELECT ${JOURNEY_COLUMNS} FROM transit.journeys WHERE status = 'OPEN' AND entry_at < $1 ORDER BY entry_at, journey_id LIMIT $2`,
        [new Date(now.getTime() - minutes * 60_000), q.limit],
      );
      return rows.map(toView);
    }
    const rows = await this.dataSource.query(`SELECT ${JOURNEY_COLUMNS} FROM transit.journeys WHERE status = $1 ORDER BY entry_at, journey_id LIMIT $2`, [
      q.status,
      q.limit,
    ]);
    return rows.map(toView);
  }
}

@QueryHandler(CardJourneysQuery)
export class CardJourneysHandler implements IQueryHandler<CardJourneysQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: CardJourneysQuery): Promise<JourneyView[]> {
    const rows = await this.dataSource.query(`SELECT ${JOURNEY_COLUMNS} FROM transit.journeys WHERE card_no = $1 ORDER BY entry_at DESC, journey_id LIMIT $2`, [
      q.cardNo,
      q.limit,
    ]);
    return rows.map(toView);
  }
}
