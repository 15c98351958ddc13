import { Problems } from '@onecard/kernel';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * How deep a request body may nest (the body object itself is level 1). Every body of the protocol
 * nests less than 10 levels (a published rule set, the deepest, about 8); class-transformer and
 * class-validator recurse once per level, so thousands of levels overflowed the stack (a 500).
 */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests deeper than `limit` levels. Iterative: any depth costs no stack. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return false;
}

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The JSON body parser (`app.useBodyParser('application/json', …, parser)`): Fastify's own, with its
 * prototype-poisoning checks, then the depth limit — at parse time, so a body nested too deep is a
 * 400 problem+json before any guard, pipe or DTO sees it, signed or not.
 */
export function depthLimitedJsonParser(fastify: FastifyInstance, limit = MAX_JSON_DEPTH): (req: FastifyRequest, body: Buffer, done: Done) => void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (req, body, done) => {
    parse(req, body.toString('utf8'), (error: Error | null, value?: unknown) => {
      if (error) return done(error);
      if (nestsDeeperThan(value, limit)) {
        return done(Problems.validation([{ pointer: '', detail: `the body is nested deeper than ${limit} levels` }], 'The body nests too deeply.'));
      }
      done(null, value);
    });
  };
}
