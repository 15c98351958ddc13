import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { LibraryDirectory } from '../../infrastructure/library-directory.js';
import { LibraryCirculationQuery, type LibraryCirculation } from './library-circulation.query.js';

@QueryHandler(LibraryCirculationQuery)
export class LibraryCirculationHandler implements IQueryHandler<LibraryCirculationQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly libraries: LibraryDirectory,
  ) {}

  async execute(query: LibraryCirculationQuery): Promise<{ on: string; libraries: LibraryCirculation[] }> {
    // One grouped pass per table over the partial and library indexes; libraries come from the registry.
    const rows: { library_id: string; items: number; outstanding: number; overdue: number; charged: number; owed: number }[] = await this.dataSource.query(
      `WITH i AS (SELECT library_id, count(*)::int AS n FROM libraries.items GROUP BY library_id),
            l AS (SELECT library_id, count(*)::int AS outstanding, count(*) FILTER (WHERE due_date < $1::date)::int AS overdue
                  FROM libraries.loans WHERE returned_at IS NULL GROUP BY library_id),
            f AS (SELECT library_id, sum(amount_fen)::bigint AS charged, sum(outstanding_fen)::bigint AS owed FROM libraries.fines GROUP BY library_id)
       SELECT coalesce(i.library_id, l.library_id, f.library_id) AS library_id, coalesce(i.n, 0) AS items,
              coalesce(l.outstanding, 0) AS outstanding, coalesce(l.overdue, 0) AS overdue,
              coalesce(f.charged, 0)::bigint AS charged, coalesce(f.owed, 0)::bigint AS owed
       FROM i FULL JOIN l ON l.library_id = i.library_id FULL JOIN f ON f.library_id = coalesce(i.library_id, l.library_id)`,
      [query.on],
    );
    const byId = new Map(rows.map((r) => [r.library_id, r]));
    const libraries = (await this.libraries.list()).map((lib) => {
      const r = byId.get(lib.libraryId);
      return {
        libraryId: lib.libraryId,
        name: lib.name,
        region: lib.region,
        network: lib.network,
        items: r?.items ?? 0,
        loansOutstanding: r?.outstanding ?? 0,
        loansOverdue: r?.overdue ?? 0,
        finesChargedFen: r?.charged ?? 0,
        finesOutstandingFen: r?.owed ?? 0,
      };
    });
    return { on: query.on, libraries };
  }
}
