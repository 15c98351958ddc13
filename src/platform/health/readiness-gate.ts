import { PROBLEM_CONTENT_TYPE } from '@onecard/kernel';
import type { FastifyInstance } from 'fastify';
import type { Readiness } from './readiness.js';

/** Paths that need the database: every terminal and admin call (health and /docs do not). */
const NEEDS_DATABASE = /^\/v1\//;

/**
 * Until the service is ready, a terminal or admin call is answered 503 + Retry-After at once — not
 * a 401 "unknown terminal" from an empty directory — before its body is read.
 */
export function applyReadinessGate(fastify: FastifyInstance, readiness: Readiness): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (readiness.ready || !NEEDS_DATABASE.test(request.url)) return done();
    const { phase } = readiness.state;
    const problem = {
      type: '/problems/unavailable',
      title: 'Service unavailable',
      status: 503,
      detail:
        phase === 'failed'
          ? 'The service could not start; an operator has to look at it.'
          : 'The service is starting (waiting for its database, or loading); retry with the same command id.',
      instance: request.url.split('?')[0],
    };
    void reply.code(503).header('retry-after', String(readiness.retryAfterSeconds)).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  });
}
