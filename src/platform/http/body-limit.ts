import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * Request bodies are limited to 64 KiB (413 beyond). An endpoint that legitimately takes more —
 * an offline gate's batch of up to 1,000 taps is ~100–230 KB — declares its own limit.
 */
export const BODY_LIMIT_BYTES = 64 * 1024;

export function BodyLimit(bytes: number): MethodDecorator {
  return RouteConfig({ bodyLimit: bytes });
}

/** Makes a route's `@BodyLimit` its Fastify body limit (a route's limit wins over the parser's). */
export function applyRouteBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as { bodyLimit?: unknown } | undefined)?.bodyLimit;
    if (typeof limit === 'number') route.bodyLimit = limit;
  });
}
