import { PROBLEM_CONTENT_TYPE, ProblemError, type ProblemDetails } from '@onecard/kernel';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { BODY_LIMIT_BYTES } from './body-limit.js';

/** How long a client may take (ADR 0014); from HTTP_*_TIMEOUT_MS. */
export interface HttpTimeouts {
  /** The request line and headers must be in within this. */
  headersMs: number;
  /** The body must be in within this after the headers. */
  requestMs: number;
  /** … on a route that takes bodies above the 64 KiB default (the 512 KiB offline batches). */
  largeRequestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

/** How often Node looks for requests past their headers or request timeout (its default is 30 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * Fastify's server options for the timeouts. Node enforces the headers timeout, and — as a
 * backstop only — a timeout on the whole request (headers + the longest body allowance); the
 * per-route body deadline is `applyRequestDeadlines`. Node's own errors answer as problem+json.
 */
export function serverTimeoutOptions(t: HttpTimeouts): Pick<FastifyHttpOptions<Server>, 'keepAliveTimeout' | 'requestTimeout' | 'http' | 'clientErrorHandler'> {
  return {
    keepAliveTimeout: t.keepAliveMs,
    requestTimeout: t.headersMs + Math.max(t.requestMs, t.largeRequestMs),
    http: { headersTimeout: t.headersMs, connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, t.headersMs) },
    clientErrorHandler: answerClientError,
  };
}

/**
 * Cuts a request whose body is not in `requestMs` after its headers (`largeRequestMs` on routes with
 * a body limit above the default): 408 problem+json, then the connection is closed. The body stream
 * is wrapped in `preParsing`, so the error reaches the usual error path like any body error.
 */
export function applyRequestDeadlines(fastify: FastifyInstance, t: HttpTimeouts): void {
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as { bodyLimit?: number } | undefined)?.bodyLimit ?? route.bodyLimit ?? BODY_LIMIT_BYTES;
    route.config = { ...(route.config ?? {}), receiveTimeoutMs: limit > BODY_LIMIT_BYTES ? t.largeRequestMs : t.requestMs };
  });
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    const length = request.headers['content-length'];
    const hasBody = (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return done(null, payload);
    const ms = (request.routeOptions.config as { receiveTimeoutMs?: number }).receiveTimeoutMs ?? t.requestMs;
    const guarded = new PassThrough();
    const timer = setTimeout(() => guarded.destroy(requestTimeout(ms)), ms);
    const clear = () => clearTimeout(timer);
    guarded.once('end', clear).once('close', clear);
    // Also when the body is never read (a 413 or 415 answered first), or the client went away.
    reply.raw.once('close', clear);
    payload.once('error', (error) => guarded.destroy(error));
    // The body reader listens while it reads; an error after it stopped must not be unhandled.
    guarded.on('error', () => undefined);
    done(null, payload.pipe(guarded));
  });
}

function requestTimeout(ms: number): ProblemError {
  const error = new ProblemError(
    { type: '/problems/request-timeout', title: 'Request timeout', status: 408, detail: `The request body did not arrive within ${ms / 1000} s.` },
    { connection: 'close' },
  );
  // Fastify's body reader keeps a client error's own status (it would set 400 otherwise).
  return Object.assign(error, { statusCode: 408 });
}

/** Node's client errors (headers too slow, malformed HTTP, too large headers) as problem+json, then close. */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem: ProblemDetails =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? { type: '/problems/request-timeout', title: 'Request timeout', status: 408, detail: 'The request did not arrive in time.' }
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? { type: '/problems/headers-too-large', title: 'Request header fields too large', status: 431, detail: 'The request headers are too large.' }
        : { type: '/problems/bad-request', title: 'Bad request', status: 400, detail: 'The request is not valid HTTP/1.1.' };
  // As Node's own handler does: answer only if no response has started on this connection.
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !response?.headersSent) {
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
