import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { PROBLEM_CONTENT_TYPE, ProblemError, Problems, type ProblemDetails } from '@onecard/kernel';
import type { FastifyReply } from 'fastify';
import { isDatabaseUnavailable } from '../database/database-errors.js';
import { BODY_LIMIT_BYTES } from './body-limit.js';

/** Fastify's own request errors (body parsing, limits) and how they read as problems. */
const FASTIFY_ERRORS: Record<string, (e: { message: string }, bodyLimit: number) => ProblemError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (_e, bodyLimit) => Problems.payloadTooLarge(bodyLimit),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ProblemError({ type: '/problems/unsupported-media-type', title: 'Unsupported media type', status: 415, detail: 'Send the body as application/json.' }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => Problems.badRequest('Content-Length does not match the body.'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => Problems.validation([{ pointer: '', detail: 'the body must be a JSON object' }], 'The body is empty.'),
  FST_ERR_CTP_INVALID_JSON_BODY: (e) => Problems.validation([{ pointer: '', detail: e.message }], 'The body is not valid JSON.'),
};

/**
 * The one error renderer: everything leaves as RFC 9457 problem+json. Anything a terminal can send
 * maps to a 4xx; a database outage is a quick 503 with Retry-After; only a bug is a 500.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<{ url?: string; routeOptions?: { bodyLimit?: number } }>();
    const error = this.toProblem(exception, request.routeOptions?.bodyLimit);
    const problem: ProblemDetails = { ...error.problem, instance: error.problem.instance ?? request.url?.split('?')[0] };
    if (problem.status >= 500) {
      this.logger.error({ err: exception, status: problem.status }, problem.status === 503 ? 'database unavailable' : 'unhandled error');
    }
    void reply
      .status(problem.status)
      .headers({ ...error.headers, 'content-type': PROBLEM_CONTENT_TYPE })
      .send(JSON.stringify(problem));
  }

  /** `bodyLimit`: the limit of the route the request was for (some endpoints allow more than 64 KiB). */
  toProblem(exception: unknown, bodyLimit = BODY_LIMIT_BYTES): ProblemError {
    if (exception instanceof ProblemError) return exception;
    const code = fastifyErrorCode(exception);
    if (code && FASTIFY_ERRORS[code]) return FASTIFY_ERRORS[code](exception as Error, bodyLimit);
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    const statusCode = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return Problems.badRequest((exception as Error).message);
    }
    if (isDatabaseUnavailable(exception)) {
      return Problems.unavailable('The database is unavailable; retry with the same command id.', 1);
    }
    return new ProblemError({ type: '/problems/internal', title: 'Internal error', status: 500, detail: 'An unexpected error occurred; it has been logged.' });
  }

  private fromHttpException(exception: HttpException): ProblemError {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const detail = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
    const text = Array.isArray(detail) ? detail.join('; ') : String(detail);
    switch (status) {
      case 400:
        return Problems.badRequest(text);
      case 401:
        return Problems.unauthorized(text);
      case 403:
        return Problems.forbidden(text);
      case 404:
        return Problems.notFound(text === 'Not Found' || /^Cannot (GET|POST|PUT|DELETE|PATCH)/.test(text) ? 'No such resource.' : text);
      case 413:
        return Problems.payloadTooLarge(BODY_LIMIT_BYTES);
      default:
        return new ProblemError({ type: `/problems/http-${status}`, title: exception.name, status, detail: text });
    }
  }
}

/**
 * Nest's Fastify adapter hands Fastify's body errors to the filter wrapped in an HttpException
 * whose `errorCode` (and `cause.code`) carry the FST_ code; a bare Fastify error has it as `code`.
 */
function fastifyErrorCode(exception: unknown): string | undefined {
  const e = exception as { code?: unknown; errorCode?: unknown; cause?: { code?: unknown } } | null;
  for (const c of [e?.code, e?.errorCode, e?.cause?.code]) if (typeof c === 'string' && c.startsWith('FST_')) return c;
  return undefined;
}
