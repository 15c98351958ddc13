import { applyDecorators, type Type as ClassType } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { addBusinessDays, businessDaysBetween, Problems, startOfBusinessDay } from '@onecard/kernel';
import { stringify } from 'csv-stringify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, Validate } from 'class-validator';
import { AdminEndpoint } from '../auth/decorators.js';
import { IsCalendarDate } from './validators.js';
import { Type } from 'class-transformer';
import { Readable, pipeline } from 'node:stream';

/** A report cell: money in fen (integers), text, or empty. */
export type ReportValue = string | number | boolean | null;

/**
 * An admin report as rows (ADR 0016): flat rows with fixed columns, read page by page in a stable
 * order from a keyset position, so JSON answers one page and CSV streams every row of the range
 * without holding them.
 */
export interface ReportDefinition<R> {
  /** File name of the CSV download (without `.csv`). */
  name: string;
  columns: readonly { key: string; value: (row: R) => ReportValue }[];
  /** Rows after `after` (the key of the last row of the previous page; null for the first), at most `limit`. */
  page(after: readonly ReportValue[] | null, limit: number): Promise<R[]>;
  /** The keyset position of a row (what `page` continues after). */
  key(row: R): ReportValue[];
}

/** How every report answers, for its OpenAPI description. */
export const REPORT_FORMATS =
  'JSON: one page `{rows, nextCursor}` (`limit`, `cursor`), with the summary over the whole range where the report has one; ' +
  'CSV (`Accept: text/csv` or `?format=csv`): every row, streamed; money in fen.';

/**
 * A report endpoint for auditors and operators (ADR 0016): JSON or CSV, the page DTO for OpenAPI,
 * and 400 for a bad range, limit or cursor. The handler calls `sendReport` with `@Res()`.
 */
export function ReportEndpoint(opts: { summary: string; description?: string; type: ClassType<unknown> }): MethodDecorator {
  return applyDecorators(
    AdminEndpoint('operator', 'auditor'),
    ApiProduces('application/json', 'text/csv'),
    ApiOperation({ summary: `Report: ${opts.summary}`, description: [opts.description, REPORT_FORMATS].filter(Boolean).join(' ') }),
    ApiOkResponse({ type: opts.type, description: 'A page of rows (JSON) or every row (text/csv).' }),
    ApiBadRequestResponse({ description: 'Bad range, filter, limit or cursor (problem+json naming each field).' }),
  );
}

export const REPORT_CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,512}$/;
export const REPORT_MAX_LIMIT = 1000;
export const MAX_RANGE_DAYS = 366;
/** Rows fetched per round trip while streaming CSV. */
const CSV_PAGE = 500;

export class ReportPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: REPORT_MAX_LIMIT, default: 100, description: 'JSON: rows per page. CSV ignores it and gives every row.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(REPORT_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'JSON: `nextCursor` of the previous page, to read the next one.' })
  @IsOptional()
  @Matches(REPORT_CURSOR_PATTERN, { message: 'cursor must be a nextCursor this report gave' })
  cursor?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: every row of the range as streamed text/csv (the same as `Accept: text/csv`).' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** A report over Asia/Shanghai business days from..to (inclusive), paged. */
export class ReportRangeQueryDto extends ReportPageQueryDto {
  @ApiProperty({ example: '2026-03-02', format: 'date', description: 'First business day (Asia/Shanghai), inclusive.' })
  @Validate(IsCalendarDate)
  from!: string;

  @ApiProperty({ example: '2026-03-02', format: 'date', description: `Last business day, inclusive; at most ${MAX_RANGE_DAYS} days after from.` })
  @Validate(IsCalendarDate)
  to!: string;
}

/** The instants [start of from, start of the day after to): refuses a reversed or over-long range. */
export function reportRange(q: { from: string; to: string }): { from: Date; until: Date } {
  const days = businessDaysBetween(q.from, q.to);
  if (days < 0 || days > MAX_RANGE_DAYS) throw Problems.validation([{ pointer: '/to', detail: `to must be from..from + ${MAX_RANGE_DAYS} days` }]);
  return { from: startOfBusinessDay(q.from), until: startOfBusinessDay(addBusinessDays(q.to, 1)) };
}

export interface ReportPage {
  rows: Record<string, ReportValue>[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export function encodeReportCursor(key: readonly ReportValue[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeReportCursor(cursor: string): ReportValue[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) return key as ReportValue[];
  } catch {
    // fall through to the 400
  }
  throw Problems.validation([{ pointer: '/cursor', detail: 'cursor must be a nextCursor this report gave' }]);
}

/** CSV when `format=csv` or the client accepts text/csv (and not JSON first). */
export function wantsCsv(request: FastifyRequest, format?: string): boolean {
  if (format) return format === 'csv';
  const accept = String(request.headers.accept ?? '');
  return /\btext\/csv\b/i.test(accept) && !/^\s*application\/(json|\*)/i.test(accept);
}

function toRecord<R>(def: ReportDefinition<R>, row: R): Record<string, ReportValue> {
  const out: Record<string, ReportValue> = {};
  for (const c of def.columns) out[c.key] = c.value(row);
  return out;
}

/** One JSON page of a report. */
export async function reportPage<R>(def: ReportDefinition<R>, query: ReportPageQueryDto): Promise<ReportPage> {
  const limit = query.limit ?? 100;
  const after = query.cursor ? decodeReportCursor(query.cursor) : null;
  const rows = await def.page(after, limit + 1);
  const page = rows.slice(0, limit);
  return { rows: page.map((r) => toRecord(def, r)), nextCursor: rows.length > limit ? encodeReportCursor(def.key(page[page.length - 1]!)) : null };
}

/** Every row of a report, read page by page as it is consumed (never all at once). */
export async function* reportRows<R>(def: ReportDefinition<R>, pageSize = CSV_PAGE): AsyncGenerator<R> {
  let after: ReportValue[] | null = null;
  for (;;) {
    const page = await def.page(after, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = def.key(page[page.length - 1]!);
  }
}

/** Every row of a report as CSV (csv-stringify), fetched page by page while the client reads. */
export function reportCsv<R>(def: ReportDefinition<R>): Readable {
  async function* rows(): AsyncGenerator<ReportValue[]> {
    for await (const r of reportRows(def)) yield def.columns.map((c) => c.value(r));
  }
  const csv = stringify({ header: true, columns: def.columns.map((c) => c.key), cast: { boolean: (b) => (b ? 'true' : 'false') } });
  // pipeline, not pipe: a failing read destroys the CSV stream, so the response is cut, not left hanging.
  return pipeline(Readable.from(rows()), csv, () => undefined);
}

/**
 * Answers a report request: JSON (one page, `{...summary, rows, nextCursor}`: a report with totals
 * over the whole range gives them with every page) or CSV (every row, streamed, no summary).
 * Controllers call it with `@Res()` and return nothing.
 */
export async function sendReport<R>(
  request: FastifyRequest,
  reply: FastifyReply,
  def: ReportDefinition<R>,
  query: ReportPageQueryDto,
  summary?: () => Promise<object>,
): Promise<void> {
  if (wantsCsv(request, query.format)) {
    await reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${def.name}.csv"`).send(reportCsv(def));
    return;
  }
  const [head, page] = await Promise.all([summary ? summary() : Promise.resolve({}), reportPage(def, query)]);
  await reply.header('content-type', 'application/json; charset=utf-8').send({ ...head, ...page });
}
