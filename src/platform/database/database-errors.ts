/**
 * Errors that mean "the database is not there right now" rather than "this request is wrong":
 * connection refused or reset, pool timeout, server shutting down, too many connections.
 * They become 503 + Retry-After so a terminal retries with the same command id.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
// 08xxx connection exceptions, 57P01-03 admin shutdown / crash / cannot connect now, 53300 too many connections,
// 57014 query cancelled by statement_timeout.
const SQLSTATE_UNAVAILABLE = /^(08...|57P0[123]|53300|57014)$/;

export function isDatabaseUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const err = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof err.code === 'string' && (NETWORK_CODES.has(err.code) || SQLSTATE_UNAVAILABLE.test(err.code))) return true;
    if (
      typeof err.message === 'string' &&
      /timeout exceeded when trying to connect|Connection terminated|connection (is )?(closed|terminated)|Client has encountered a connection error/i.test(
        err.message,
      )
    ) {
      return true;
    }
    e = err.driverError ?? err.cause;
  }
  return false;
}
