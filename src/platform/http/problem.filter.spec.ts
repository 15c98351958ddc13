import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { Problems } from '@onecard/kernel';
import { ProblemFilter } from './problem.filter.js';

describe('problem filter', () => {
  const filter = new ProblemFilter();
  const statusOf = (e: unknown) => filter.toProblem(e).problem.status;

  it('keeps problems thrown by the application', () => {
    expect(filter.toProblem(Problems.idempotencyConflict('t1')).problem).toMatchObject({ status: 409, type: '/problems/idempotency-conflict' });
  });

  it('maps Fastify body errors to client errors, never 500', () => {
    expect(statusOf({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'x' })).toBe(413);
    expect(statusOf({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415, message: 'x' })).toBe(415);
    expect(statusOf({ code: 'FST_ERR_CTP_EMPTY_JSON_BODY', statusCode: 400, message: 'x' })).toBe(400);
    expect(statusOf({ code: 'SOME_OTHER_FASTIFY_4XX', statusCode: 400, message: 'x' })).toBe(400);
  });

  it('maps Nest HTTP exceptions', () => {
    expect(statusOf(new NotFoundException())).toBe(404);
    expect(statusOf(new ForbiddenException('no'))).toBe(403);
    expect(statusOf(new BadRequestException('bad'))).toBe(400);
  });

  it('answers a database outage with 503 and Retry-After', () => {
    const p = filter.toProblem({ code: 'ECONNREFUSED' });
    expect(p.problem.status).toBe(503);
    expect(p.headers['retry-after']).toBe('1');
  });

  it('hides the details of a bug', () => {
    const p = filter.toProblem(new TypeError('secret internals'));
    expect(p.problem.status).toBe(500);
    expect(JSON.stringify(p.problem)).not.toContain('secret');
  });
});
