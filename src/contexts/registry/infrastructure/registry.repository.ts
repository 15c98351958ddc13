import { Injectable } from '@nestjs/common';
import type { Region } from '@onecard/kernel';
import type { GateDirection, TerminalIdentity, TerminalKind } from '@onecard/platform';
import { DataSource } from 'typeorm';
import type { TerminalPlacement } from '../domain/terminal-placement.rule.js';
import type { ClinicLevel, Venue, VenueAttributes, VenueKind } from '../domain/venue.js';

/** Anything that runs SQL: the DataSource, or a command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface TerminalRow extends TerminalIdentity {
  version: number;
  registeredAt: Date;
  updatedAt: Date;
}

const TERMINAL_COLUMNS = `t.terminal_id, t.kind, t.venue_id, v.region, t.direction, t.card_no, t.enabled, t.version, t.registered_at, t.updated_at`;

/** Plain SQL over the registry schema (STYLE.md rule 7: no aggregates to read). */
@Injectable()
export class RegistryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findVenue(venueId: string, sql: Sql = this.dataSource): Promise<Venue | null> {
    const rows = await sql.query(`SELECT venue_id, kind, region, name, level, attributes FROM registry.venues WHERE venue_id = $1`, [venueId]);
    return rows[0] ? toVenue(rows[0]) : null;
  }

  async listVenues(kind?: VenueKind): Promise<Venue[]> {
    const rows = await this.dataSource.query(
      `SELECT venue_id, kind, region, name, level, attributes FROM registry.venues WHERE ($1::text IS NULL OR kind = $1) ORDER BY kind, region, venue_id`,
      [kind ?? null],
    );
    return rows.map(toVenue);
  }

  /** Inserts venues that do not exist yet; answers how many were new. */
  async insertVenues(venues: readonly Venue[], sql: Sql = this.dataSource): Promise<number> {
    if (venues.length === 0) return 0;
    const rows = await sql.query(
      `INSERT INTO registry.venues (venue_id, kind, region, name, level, attributes)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::jsonb[])
       ON CONFLICT (venue_id) DO NOTHING
       RETURNING venue_id`,
      [
        venues.map((v) => v.venueId),
        venues.map((v) => v.kind),
        venues.map((v) => v.region),
        venues.map((v) => v.name),
        venues.map((v) => v.level),
        venues.map((v) => JSON.stringify(v.attributes)),
      ],
    );
    return rows.length;
  }

  async mergeAttributes(venueId: string, attributes: VenueAttributes, sql: Sql = this.dataSource): Promise<boolean> {
    // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
    const rows = await sql.query(
      `WITH u AS (UPDATE registry.venues SET attributes = attributes || $2::jsonb WHERE venue_id = $1 RETURNING venue_id) SELECT venue_id FROM u`,
      [venueId, JSON.stringify(attributes)],
    );
    return rows.length > 0;
  }

  async findTerminal(terminalId: string, sql: Sql = this.dataSource, opts: { lock?: boolean } = {}): Promise<TerminalRow | null> {
    const rows = await sql.query(
      `SELECT ${TERMINAL_COLUMNS} FROM registry.terminals t LEFT JOIN registry.venues v ON v.venue_id = t.venue_id
       WHERE t.terminal_id = $1${opts.lock ? ' FOR UPDATE OF t' : ''}`,
      [terminalId],
    );
    return rows[0] ? toTerminal(rows[0]) : null;
  }

  async listTerminals(filter: { venueId?: string; kind?: TerminalKind }): Promise<TerminalRow[]> {
    const rows = await this.dataSource.query(
      `SELECT ${TERMINAL_COLUMNS} FROM registry.terminals t LEFT JOIN registry.venues v ON v.venue_id = t.venue_id
       WHERE ($1::text IS NULL OR t.venue_id = $1) AND ($2::text IS NULL OR t.kind = $2)
       ORDER BY t.terminal_id`,
      [filter.venueId ?? null, filter.kind ?? null],
    );
    return rows.map(toTerminal);
  }

  /** Inserts terminals that do not exist yet (ids that exist are left alone); answers the new ids. */
  async insertTerminals(terminals: readonly TerminalPlacement[], at: Date, sql: Sql = this.dataSource): Promise<string[]> {
    if (terminals.length === 0) return [];
    const rows = await sql.query(
      `INSERT INTO registry.terminals (terminal_id, kind, venue_id, direction, enabled, card_no, registered_at, updated_at)
       SELECT id, kind, venue, direction, enabled, card, $7, $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[]) AS t(id, kind, venue, direction, enabled, card)
       ON CONFLICT (terminal_id) DO NOTHING
       RETURNING terminal_id`,
      [
        terminals.map((t) => t.terminalId),
        terminals.map((t) => t.kind),
        terminals.map((t) => t.venueId),
        terminals.map((t) => t.direction),
        terminals.map((t) => t.enabled ?? true),
        terminals.map((t) => t.cardNo ?? null),
        at,
      ],
    );
    return rows.map((r: { terminal_id: string }) => r.terminal_id);
  }

  /** Binds every holder app bound to card `from` to card `to` (a replacement's activation); answers their ids. */
  async moveHolderApps(from: string, to: string, at: Date, sql: Sql): Promise<string[]> {
    const rows = await sql.query(
      `WITH moved AS (
         UPDATE registry.terminals SET card_no = $2, version = version + 1, updated_at = $3
         WHERE kind = 'HOLDER_APP' AND card_no = $1 RETURNING terminal_id)
       SELECT terminal_id FROM moved ORDER BY terminal_id`,
      [from, to, at],
    );
    return rows.map((r: { terminal_id: string }) => r.terminal_id);
  }

  async setEnabled(terminalId: string, enabled: boolean, at: Date, sql: Sql): Promise<void> {
    await sql.query(`UPDATE registry.terminals SET enabled = $2, version = version + 1, updated_at = $3 WHERE terminal_id = $1`, [terminalId, enabled, at]);
  }
}

function toVenue(r: Record<string, any>): Venue {
  return {
    venueId: r.venue_id,
    kind: r.kind as VenueKind,
    region: r.region as Region,
    name: r.name,
    level: r.level === null ? null : (Number(r.level) as ClinicLevel),
    attributes: (r.attributes ?? {}) as VenueAttributes,
  };
}

/** What the guard and the admin API know of a terminal (TerminalIdentity = TerminalView). */
export function terminalIdentity(row: TerminalRow): TerminalIdentity {
  return {
    terminalId: row.terminalId,
    kind: row.kind,
    venueId: row.venueId,
    region: row.region,
    direction: row.direction,
    cardNo: row.cardNo,
    enabled: row.enabled,
  };
}

function toTerminal(r: Record<string, any>): TerminalRow {
  return {
    terminalId: r.terminal_id,
    kind: r.kind as TerminalKind,
    venueId: r.venue_id,
    region: (r.region ?? null) as Region | null,
    direction: (r.direction ?? null) as GateDirection | null,
    cardNo: r.card_no ?? null,
    enabled: r.enabled,
    version: r.version,
    registeredAt: r.registered_at,
    updatedAt: r.updated_at,
  };
}
