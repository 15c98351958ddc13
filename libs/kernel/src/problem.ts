/**
 * RFC 9457 problem details: the one error shape the API answers with. Domain and application code
 * throw `ProblemError`; the HTTP layer renders it as `application/problem+json`.
 */
export interface FieldError {
  /** JSON pointer (RFC 6901) of the offending field in the request body, e.g. `/items/0/quantity`. */
  pointer: string;
  detail: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class ProblemError extends Error {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
  }
}

function problemType(slug: string): string {
  return `/problems/${slug}`;
}

export const Problems = {
  validation(errors: FieldError[], detail = 'The request is not valid; see errors[] for each field.'): ProblemError {
    return new ProblemError({ type: problemType('validation'), title: 'Invalid request', status: 400, detail, errors });
  },
  badRequest(detail: string, errors?: FieldError[]): ProblemError {
    return new ProblemError({ type: problemType('bad-request'), title: 'Bad request', status: 400, detail, ...(errors ? { errors } : {}) });
  },
  unauthorized(detail: string): ProblemError {
    return new ProblemError({ type: problemType('unauthorized'), title: 'Unauthorized', status: 401, detail });
  },
  forbidden(detail: string): ProblemError {
    return new ProblemError({ type: problemType('forbidden'), title: 'Forbidden', status: 403, detail });
  },
  notFound(detail: string): ProblemError {
    return new ProblemError({ type: problemType('not-found'), title: 'Not found', status: 404, detail });
  },
  conflict(detail: string, extensions: Record<string, unknown> = {}): ProblemError {
    return new ProblemError({ type: problemType('conflict'), title: 'Conflict', status: 409, detail, ...extensions });
  },
  idempotencyConflict(commandId: string): ProblemError {
    return new ProblemError({
      type: problemType('idempotency-conflict'),
      title: 'Command id reused with a different body',
      status: 409,
      detail: `Command id "${commandId}" was already used with a different request body; use a new id for a new command.`,
    });
  },
  payloadTooLarge(limit: number): ProblemError {
    return new ProblemError({ type: problemType('payload-too-large'), title: 'Payload too large', status: 413, detail: `The body exceeds ${limit} bytes.` });
  },
  tooManyRequests(detail: string, retryAfterSeconds: number): ProblemError {
    return new ProblemError(
      { type: problemType('too-many-requests'), title: 'Too many requests', status: 429, detail },
      { 'retry-after': String(retryAfterSeconds) },
    );
  },
  unavailable(detail: string, retryAfterSeconds = 1): ProblemError {
    return new ProblemError(
      { type: problemType('unavailable'), title: 'Service unavailable', status: 503, detail },
      { 'retry-after': String(retryAfterSeconds) },
    );
  },
};
