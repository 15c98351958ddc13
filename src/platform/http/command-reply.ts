import type { FastifyReply } from 'fastify';

/**
 * Sets the status of a command's answer: the original status on a replay too, with
 * `Idempotent-Replayed: true` so a terminal can tell it got the stored result.
 * Use with `@Res({ passthrough: true })` and return the body.
 */
export function sendCommandResult<R>(reply: FastifyReply, result: { response: R; httpStatus: number; replayed: boolean }): R {
  void reply.status(result.httpStatus);
  if (result.replayed) void reply.header('idempotent-replayed', 'true');
  return result.response;
}
