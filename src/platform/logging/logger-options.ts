import { PII_LOG_PATHS } from '@onecard/kernel';
import type { Params } from 'nestjs-pino';
import type { Env } from '../config/env.js';

/**
 * Structured JSON logs (pino). Personal data is redacted by path; request bodies are never logged.
 * A terminal id and the request id go on every request line so a decision can be traced.
 */
export function loggerOptions(env: Env): Params {
  return {
    pinoHttp: {
      level: env.LOG_LEVEL,
      redact: { paths: [...PII_LOG_PATHS, 'req.headers["x-signature"]'], censor: '[REDACTED]' },
      customProps: (req) => ({ terminalId: req.headers['x-terminal-id'] }),
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      autoLogging: { ignore: (req) => req.url === '/health' },
      ...(env.NODE_ENV === 'development' && process.stdout.isTTY
        ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } }
        : {}),
    },
  };
}
