import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseEnv, startEmbeddedPostgres, type EmbeddedDatabase, type Env } from '@onecard/platform';
import { createApp } from '../bootstrap.js';

export interface CliRuntime {
  env: Env;
  databaseUrl: string;
  embedded: boolean;
  /** The service's Nest application (not listening): get CommandBus, DataSource, facades from it. */
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/**
 * The service, started the same way `npm start` does (DATABASE_URL or the embedded database under
 * .data/, migrations applied) but not listening: CLI commands run against it and close it.
 */
export async function openRuntime(overrides: Record<string, string> = {}): Promise<CliRuntime> {
  const env = parseEnv({ LOG_LEVEL: 'warn', ...process.env, ...overrides });
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT, database: 'onecard' });
    databaseUrl = embedded.url;
  }
  const app = await createApp({ env, databaseUrl });
  return {
    env,
    databaseUrl,
    embedded: embedded !== null,
    app,
    close: async () => {
      await app.close();
      if (embedded) await embedded.stop();
    },
  };
}
