import type { Env } from './env.js';

/**
 * The validated environment as an injectable value. Built once by `main.ts` (or a test) and handed
 * to the root module, so nothing reads `process.env` after start.
 */
export class AppConfig {
  constructor(
    readonly env: Env,
    /** The database the service actually uses (DATABASE_URL or the embedded one). */
    readonly databaseUrl: string,
  ) {}
}
