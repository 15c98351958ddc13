import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RuleSetContent } from './domain/content-hash.js';
import type { FamilyShape } from './domain/publication.js';

/** A row of `rules.rule_sets` as stored. */
export interface StoredRuleSet extends RuleSetContent {
  contentSha256: string;
  publishedAt: string;
  publishedBy: string;
  sourceFile: string | null;
}

/** Runs SQL inside whatever transaction the caller holds (a CommandTx or a QueryRunner). */
export type Sql = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

const COLUMNS = `id, version, context, kind, region, effective_from, effective_to, description, parameters, sources,
  content_sha256, published_at, published_by, source_file`;

/** Every publish and every start's file load take this lock, so two never interleave. */
export const PUBLISH_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('onecard:rules:publish'))`;

/** SQL for schema `rules` (simple reads and one insert; no ORM). */
@Injectable()
export class RuleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Rows in the append-only table: a change counter that other instances poll. */
  async count(): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM rules.rule_sets`);
    return rows[0]?.n ?? 0;
  }

  async all(sql: Sql = (s, p) => this.dataSource.query(s, p)): Promise<StoredRuleSet[]> {
    const rows = await sql<Record<string, any>>(`SELECT ${COLUMNS} FROM rules.rule_sets ORDER BY id, version`);
    return rows.map(toStored);
  }

  async families(sql: Sql): Promise<FamilyShape[]> {
    return sql<FamilyShape>(`SELECT id, context, kind, region FROM rules.families ORDER BY id`);
  }

  /** The versions published of one family, with their effective dates (what a new version is checked against). */
  async publishedVersions(sql: Sql, id: string): Promise<{ version: number; effectiveFrom: string; effectiveTo: string | null }[]> {
    return sql(`SELECT version, effective_from AS "effectiveFrom", effective_to AS "effectiveTo" FROM rules.rule_sets WHERE id = $1`, [id]);
  }

  /** Inserts one version (and its family on first use); answers when it was published. */
  async insert(sql: Sql, row: Omit<StoredRuleSet, 'publishedAt'>): Promise<string> {
    await sql(
      `INSERT INTO rules.families (id, context, kind, region) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
      [row.id, row.context, row.kind, row.region],
    );
    const rows = await sql<{ published_at: Date }>(
      `INSERT INTO rules.rule_sets (id, version, context, kind, region, effective_from, effective_to, description,
         parameters, sources, content_sha256, published_by, source_file)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $13)
       RETURNING published_at`,
      [
        row.id,
        row.version,
        row.context,
        row.kind,
        row.region,
        row.effectiveFrom,
        row.effectiveTo,
        row.description ?? null,
        JSON.stringify(row.parameters),
        JSON.stringify(row.sources),
        row.contentSha256,
        row.publishedBy,
        row.sourceFile,
      ],
    );
    return new Date(rows[0]!.published_at).toISOString();
  }
}

function toStored(r: Record<string, any>): StoredRuleSet {
  return {
    id: r.id,
    version: r.version,
    context: r.context,
    kind: r.kind,
    region: r.region,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    ...(r.description !== null ? { description: r.description } : {}),
    parameters: r.parameters,
    sources: r.sources,
    contentSha256: r.content_sha256,
    publishedAt: new Date(r.published_at).toISOString(),
    publishedBy: r.published_by,
    sourceFile: r.source_file,
  };
}
