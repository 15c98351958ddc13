import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatBusinessInstant } from '@onecard/kernel';
import { stationsInLineOrder } from '../../domain/network.js';
import { serves } from '../../domain/timetable.js';
import { TimetableCache } from '../../infrastructure/timetable-cache.js';
import { GetTimetableQuery, type TimetableView } from './get-timetable.query.js';

@QueryHandler(GetTimetableQuery)
export class GetTimetableHandler implements IQueryHandler<GetTimetableQuery> {
  constructor(private readonly timetables: TimetableCache) {}

  async execute(q: GetTimetableQuery): Promise<TimetableView | null> {
    const network = this.timetables.networkOn(q.date);
    if (!network) return null;
    const timetable = this.timetables.timetable(q.date, network);
    const trains = timetable.trains.filter((t) => {
      if (q.from && q.to) return serves(t, q.from, q.to);
      const station = q.from ?? q.to;
      return station ? t.calls.some((c) => c.station === station) : true;
    });
    const at = (d: Date | null) => (d ? formatBusinessInstant(d) : null);
    return {
      date: q.date,
      ruleSet: network.ref,
      stations: stationsInLineOrder(network.parameters).map((s) => ({ ...s })),
      trains: trains.map((t) => ({
        trainNo: t.trainNo,
        direction: t.direction,
        pattern: t.pattern,
        calls: t.calls.map((c) => ({ station: c.station, arrivesAt: at(c.arrivesAt), departsAt: at(c.departsAt) })),
      })),
    };
  }
}
