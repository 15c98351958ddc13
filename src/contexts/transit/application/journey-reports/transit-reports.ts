import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, formatBusinessInstant, type BusinessDate, type Clock, type Region } from '@onecard/kernel';
import type { ReportDefinition } from '@onecard/platform';
import { RuleBook, TransitNetworkRules } from '@onecard/rules';
import { DataSource } from 'typeorm';
import { NETWORK_REGION } from '../../infrastructure/timetable-cache.js';
import type { JourneyListStatus, JourneyView } from './journey-reports.query.js';

export interface ReportScope {
  from: BusinessDate;
  to: BusinessDate;
  /** A region-scoped token: only stations of that region. */
  region: Region | null;
}

const JOURNEY_COLUMNS = `journey_id, card_no, status, entry_station, entry_gate, entry_at, train_no, terminus, reservation_id, required_fen,
  exit_station, exit_gate, exit_at, fare_fen, charged_fen, closed_by, rule_set_id, rule_version`;

export function toJourneyView(r: Record<string, any>): JourneyView {
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

const JOURNEY_KEYS = [
  'journeyId',
  'cardNo',
  'status',
  'entryStation',
  'entryGate',
  'entryAt',
  'trainNo',
  'terminus',
  'reservationId',
  'requiredFen',
  'exitStation',
  'exitGate',
  'exitAt',
  'fareFen',
  'chargedFen',
  'closedBy',
] as const satisfies readonly (keyof JourneyView)[];

/**
 * The railway's reports as rows (ADR 0016), each over a range of business days in a stable keyset
 * order: JSON pages and streamed CSV come from the same definition.
 */
@Injectable()
export class TransitReports {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RuleBook,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The station codes a scoped token sees (null: all). */
  private stations(scope: ReportScope): string[] | null {
    if (!scope.region) return null;
    const network = this.rules.find(TransitNetworkRules, NETWORK_REGION, this.clock.now());
    return (network?.parameters.stations ?? []).filter((s) => s.region === scope.region).map((s) => s.code);
  }

  /** Journeys closed (by tap, window or the missing tap-out job) per entry day and entry → exit pair. */
  odPairs(
    scope: ReportScope,
  ): ReportDefinition<{ date: string; fromStation: string; toStation: string; journeys: number; fareFen: number; incompleteCharged: boolean }> {
    return {
      name: `transit-od-pairs-${scope.from}-${scope.to}`,
      columns: [
        { key: 'date', value: (r) => r.date },
        { key: 'fromStation', value: (r) => r.fromStation },
        { key: 'toStation', value: (r) => r.toStation },
        { key: 'journeys', value: (r) => r.journeys },
        { key: 'fareFen', value: (r) => r.fareFen },
        { key: 'incompleteCharged', value: (r) => r.incompleteCharged },
      ],
      page: async (after, limit) => {
        // A missing tap-out charged after 7 days has the station it was charged to as its exit: its own row, marked.
        const rows = await this.dataSource.query(
          `SELECT to_char(entry_date, 'YYYY-MM-DD') AS date, entry_station, exit_station, status = 'INCOMPLETE_CHARGED' AS incomplete,
                  count(*)::int AS journeys, coalesce(sum(charged_fen), 0)::bigint AS fare
           FROM transit.journeys
           WHERE entry_date BETWEEN $1 AND $2 AND status <> 'OPEN' AND ($3::text[] IS NULL OR entry_station = ANY ($3) OR exit_station = ANY ($3))
           GROUP BY entry_date, entry_station, exit_station, incomplete
           HAVING $4::text IS NULL OR (to_char(entry_date, 'YYYY-MM-DD'), entry_station, exit_station, status = 'INCOMPLETE_CHARGED') > ($4, $5::text, $6::text, $7::boolean)
           ORDER BY entry_date, entry_station, exit_station, incomplete LIMIT $8`,
          [scope.from, scope.to, this.stations(scope), after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, after?.[3] ?? null, limit],
        );
        return rows.map((r: any) => ({
          date: r.date,
          fromStation: r.entry_station,
          toStation: r.exit_station,
          journeys: r.journeys,
          fareFen: Number(r.fare),
          incompleteCharged: r.incomplete,
        }));
      },
      key: (r) => [r.date, r.fromStation, r.toStation, r.incompleteCharged],
    };
  }

  /** Fares charged per boarding station, by the day the fare was charged. */
  stationRevenue(scope: ReportScope): ReportDefinition<{ date: string; station: string; journeys: number; revenueFen: number }> {
    return {
      name: `transit-station-revenue-${scope.from}-${scope.to}`,
      columns: [
        { key: 'date', value: (r) => r.date },
        { key: 'station', value: (r) => r.station },
        { key: 'journeys', value: (r) => r.journeys },
        { key: 'revenueFen', value: (r) => r.revenueFen },
      ],
      page: async (after, limit) => {
        const rows = await this.dataSource.query(
          `SELECT to_char(closed_date, 'YYYY-MM-DD') AS date, entry_station, count(*)::int AS journeys, coalesce(sum(charged_fen), 0)::bigint AS revenue
           FROM transit.journeys
           WHERE closed_date BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR entry_station = ANY ($3))
             AND ($4::text IS NULL OR (to_char(closed_date, 'YYYY-MM-DD'), entry_station) > ($4, $5::text))
           GROUP BY closed_date, entry_station ORDER BY closed_date, entry_station LIMIT $6`,
          [scope.from, scope.to, this.stations(scope), after?.[0] ?? null, after?.[1] ?? null, limit],
        );
        return rows.map((r: any) => ({ date: r.date, station: r.entry_station, journeys: r.journeys, revenueFen: Number(r.revenue) }));
      },
      key: (r) => [r.date, r.station],
    };
  }

  /** Gate taps that entered or left the paid area, per station and hour (Asia/Shanghai). */
  tapsPerHour(scope: ReportScope): ReportDefinition<{ date: string; hour: number; station: string; entries: number; exits: number; taps: number }> {
    return {
      name: `transit-taps-per-hour-${scope.from}-${scope.to}`,
      columns: [
        { key: 'date', value: (r) => r.date },
        { key: 'hour', value: (r) => r.hour },
        { key: 'station', value: (r) => r.station },
        { key: 'entries', value: (r) => r.entries },
        { key: 'exits', value: (r) => r.exits },
        { key: 'taps', value: (r) => r.taps },
      ],
      page: async (after, limit) => {
        const rows = await this.dataSource.query(
          `WITH taps AS (
             SELECT entry_station AS station, entry_at AT TIME ZONE 'Asia/Shanghai' AS local, 1 AS entries, 0 AS exits FROM transit.journeys
             WHERE entry_date BETWEEN $1 AND $2
             UNION ALL
             SELECT exit_station, exit_at AT TIME ZONE 'Asia/Shanghai', 0, 1 FROM transit.journeys
             WHERE exit_at >= ($1::date::timestamp AT TIME ZONE 'Asia/Shanghai') AND exit_at < (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
           ), hours AS (
             SELECT to_char(local, 'YYYY-MM-DD') AS date, extract(hour FROM local)::int AS hour, station, sum(entries)::int AS entries, sum(exits)::int AS exits
             FROM taps WHERE local::date BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR station = ANY ($3))
             GROUP BY 1, 2, 3
           )
           SELECT * FROM hours WHERE $4::text IS NULL OR (date, hour, station) > ($4, $5::int, $6::text)
           ORDER BY date, hour, station LIMIT $7`,
          [scope.from, scope.to, this.stations(scope), after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit],
        );
        return rows.map((r: any) => ({ date: r.date, hour: r.hour, station: r.station, entries: r.entries, exits: r.exits, taps: r.entries + r.exits }));
      },
      key: (r) => [r.date, r.hour, r.station],
    };
  }

  /** Journeys in one state entered in the range, oldest first (UNRESOLVED: open past the rule data's threshold, as of now). */
  journeys(status: JourneyListStatus, scope: ReportScope): ReportDefinition<JourneyView & { entryAtRaw: string }> {
    return {
      name: `transit-journeys-${status.toLowerCase()}-${scope.from}-${scope.to}`,
      columns: [
        ...JOURNEY_KEYS.map((key) => ({ key, value: (r: JourneyView) => r[key] })),
        { key: 'ruleSetId', value: (r) => r.ruleSet.id },
        { key: 'ruleVersion', value: (r) => r.ruleSet.version },
      ],
      page: async (after, limit) => {
        const now = this.clock.now();
        const minutes = this.rules.find(TransitNetworkRules, NETWORK_REGION, now)?.parameters.missingTapOut.unresolvedAfterMinutes ?? 0;
        const rows = await this.dataSource.query(
          `SELECT ${JOURNEY_COLUMNS}, to_json(entry_at)#>>'{}' AS entry_at_raw FROM transit.journeys
           WHERE status = $1 AND ($2::timestamptz IS NULL OR entry_at < $2) AND entry_date BETWEEN $3 AND $4
             AND ($5::text[] IS NULL OR entry_station = ANY ($5)) AND ($6::timestamptz IS NULL OR (entry_at, journey_id) > ($6, $7::uuid))
           ORDER BY entry_at, journey_id LIMIT $8`,
          [
            status === 'UNRESOLVED' ? 'OPEN' : status,
            status === 'UNRESOLVED' ? new Date(now.getTime() - minutes * 60_000) : null,
            scope.from,
            scope.to,
            this.stations(scope),
            after?.[0] ?? null,
            after?.[1] ?? null,
            limit,
          ],
        );
        return rows.map((r: any) => ({ ...toJourneyView(r), entryAtRaw: r.entry_at_raw }));
      },
      key: (r) => [r.entryAtRaw, r.journeyId],
    };
  }
}
