import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CardJourneysQuery, type JourneyView } from './journey-reports.query.js';
import { toJourneyView } from './transit-reports.js';

const JOURNEY_COLUMNS = `journey_id, card_no, status, entry_station, entry_gate, entry_at, train_no, terminus, reservation_id, required_fen,
  exit_station, exit_gate, exit_at, fare_fen, charged_fen, closed_by, rule_set_id, rule_version`;

@QueryHandler(CardJourneysQuery)
export class CardJourneysHandler implements IQueryHandler<CardJourneysQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: CardJourneysQuery): Promise<JourneyView[]> {
    const rows = await this.dataSource.query(`SELECT ${JOURNEY_COLUMNS} FROM transit.journeys WHERE card_no = $1 ORDER BY entry_at DESC, journey_id LIMIT $2`, [
      q.cardNo,
      q.limit,
    ]);
    return rows.map(toJourneyView);
  }
}
