import 'reflect-metadata';
import { isDevelopmentAdminTokens, parseEnv, startEmbeddedPostgres, type EmbeddedDatabase } from '@onecard/platform';
import { createApp } from './bootstrap.js';
import { DASHBOARD_PATH } from './dashboard/dashboard-assets.js';

/**
 * `npm start`: uses DATABASE_URL, or starts an embedded PostgreSQL under .data/ when it is not set,
 * and listens on PORT at once; once the database answers (retried with backoff, 503 meanwhile) it
 * migrates, seeds demo data into an empty database and becomes ready (ADR 0014).
 */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    process.stdout.write(`Starting embedded PostgreSQL in ${env.EMBEDDED_PG_DIR} on port ${env.EMBEDDED_PG_PORT}…\n`);
    embedded = await startEmbeddedPostgres({ dir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT, database: 'onecard' });
    databaseUrl = embedded.url;
  }
  const app = await createApp({
    env,
    databaseUrl,
    startup: 'background',
    onStartupFailure: (error) => {
      process.stderr.write(`the service cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  });
  const shutdown = async (signal: string) => {
    process.stdout.write(`${signal}: finishing in-flight requests and shutting down…\n`);
    await app.close();
    if (embedded) await embedded.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: env.PORT, host: env.HOST });
  const url = await app.getUrl();
  const shownDb = databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  const base = url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  const lines = [
    `onecard listening on ${base}  (OpenAPI: /docs; ready when /health/ready answers 200)`,
    `dashboard: ${base}${DASHBOARD_PATH}  (sign in with an admin token)`,
    `database: ${shownDb}${embedded ? ' (embedded)' : ''}`,
  ];
  if (env.BUSINESS_CLOCK !== 'system') lines.push(`business clock: simulated from ${env.BUSINESS_CLOCK}`);
  if (isDevelopmentAdminTokens(env)) {
    for (const [token, { role, region }] of env.ADMIN_TOKENS) lines.push(`development admin token (${role}${region ? `@${region}` : ''}): ${token}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
