import { ScaledClock, SystemClock, type Clock, type Region } from '@onecard/kernel';
import { z } from 'zod';

/**
 * The service's whole environment, validated once at start. Development defaults let a fresh clone
 * run with no setup; a production start refuses every development secret.
 */
export const DEV_TERMINAL_MASTER_KEY = 'onecard-development-master-key-do-not-use-in-production';
export const DEV_ADMIN_TOKENS = 'operator:dev-operator-token,auditor:dev-auditor-token';
export const DEV_PII_HASH_KEY = 'onecard-development-pii-key-do-not-use-in-production';

export const ADMIN_ROLES = ['operator', 'auditor'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** What a token may do: its role and, for a region-scoped token (`auditor@11:<token>`), the region whose side it sees. */
export interface AdminGrant {
  role: AdminRole;
  region: Region | null;
}

const ADMIN_ENTRY_RE = /^(operator|auditor)(?:@(11|12|13))?$/;

const adminTokens = z
  .string()
  .min(1, 'at least one role:token is required')
  .transform((text, ctx) => {
    const tokens = new Map<string, AdminGrant>();
    for (const part of text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const i = part.indexOf(':');
      const grant = ADMIN_ENTRY_RE.exec(part.slice(0, i));
      const token = part.slice(i + 1);
      if (i <= 0 || !token || !grant) {
        ctx.addIssue({
          code: 'custom',
          message: `expected role[@region]:token with role operator or auditor and region 11, 12 or 13, got "${part.replace(/:.*/, ':…')}"`,
        });
        return z.NEVER;
      }
      const role = grant[1] as AdminRole;
      if (token.length < 8) {
        ctx.addIssue({ code: 'custom', message: `token for ${role} must be at least 8 characters` });
        return z.NEVER;
      }
      tokens.set(token, { role, region: (grant[2] as Region | undefined) ?? null });
    }
    if (tokens.size === 0) {
      ctx.addIssue({ code: 'custom', message: 'at least one role:token is required' });
      return z.NEVER;
    }
    return tokens;
  });

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    /**
     * Which proxies' X-Forwarded-For / -Proto to believe (Fastify's trustProxy): `false` (the
     * default: the client is the peer address), `true`, or addresses/CIDRs, comma-separated.
     * Failed-signature throttling counts per client address, so never trust headers anyone can send.
     */
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v): boolean | string => (v === 'true' ? true : v === 'false' || v === '' ? false : v)),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /** Statement timeout: no request hangs on a stuck database. */
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    /** How long to wait for a connection before answering 503. */
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(2000),
    /** Starting without the database: retry with backoff from 0.5 s, doubling up to this (ADR 0014). */
    DB_STARTUP_RETRY_MAX_MS: z.coerce.number().int().min(100).default(15_000),
    /** Slow clients are cut (ADR 0014): headers, body after the headers, body on the 512 KiB batch routes, idle keep-alive. */
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    HTTP_LARGE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(65_000),
    /** Failed terminal signatures (401) allowed per terminal id and source address in a window, then 429 (ADR 0014). */
    AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(20),
    AUTH_FAILURE_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
    EMBEDDED_PG_DIR: z.string().default('.data/pg'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    TERMINAL_MASTER_KEY: z.string().min(16).default(DEV_TERMINAL_MASTER_KEY),
    ADMIN_TOKENS: z.string().prefault(DEV_ADMIN_TOKENS).pipe(adminTokens),
    PII_HASH_KEY: z.string().min(16).default(DEV_PII_HASH_KEY),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Seed demo data (stations, clinics, venues, cards, terminals) into an empty database at start. */
    SEED_DEMO: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    /** Directory of rule data files, relative to the working directory. */
    RULES_DIR: z.string().default('rules'),
    /** Commit concurrent gate taps together in one transaction (ADR 0003 "Group commit"). */
    GROUP_COMMIT: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    /** Commands in one group-commit transaction at most (ADR 0012). */
    GROUP_COMMIT_MAX_BATCH: z.coerce.number().int().min(1).max(512).default(32),
    /** Group-commit transactions in flight at once, each on its own connection. */
    GROUP_COMMIT_BATCHES: z.coerce.number().int().min(1).max(64).default(4),
    /**
     * Business time: `system`, or a simulated clock `<ISO instant with offset>[@<speed>]` that starts
     * at that instant when the process starts and runs `speed` times faster (benchmarks, simulations
     * against a running service). Refused in production.
     */
    BUSINESS_CLOCK: z
      .string()
      .default('system')
      .refine(
        (v) => v === 'system' || BUSINESS_CLOCK_RE.test(v),
        'must be "system" or an ISO-8601 instant with offset, optionally @speed (e.g. 2026-03-02T07:00:00+08:00@60)',
      ),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.TERMINAL_MASTER_KEY === DEV_TERMINAL_MASTER_KEY) {
      ctx.addIssue({ code: 'custom', path: ['TERMINAL_MASTER_KEY'], message: 'the development master key is refused in production' });
    }
    // ADMIN_TOKENS is still the raw text when its own check failed (e.g. empty): that issue is reported already.
    if (env.ADMIN_TOKENS instanceof Map && [...env.ADMIN_TOKENS.keys()].some((t) => DEV_ADMIN_TOKENS.includes(`:${t}`))) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_TOKENS'], message: 'development admin tokens are refused in production' });
    }
    if (env.PII_HASH_KEY === DEV_PII_HASH_KEY) {
      ctx.addIssue({ code: 'custom', path: ['PII_HASH_KEY'], message: 'the development PII hash key is refused in production' });
    }
    if (env.BUSINESS_CLOCK !== 'system') {
      ctx.addIssue({ code: 'custom', path: ['BUSINESS_CLOCK'], message: 'a simulated business clock is refused in production' });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'production needs DATABASE_URL (the embedded database is for development)' });
    }
  });

export type Env = z.infer<typeof envSchema>;

const BUSINESS_CLOCK_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))(?:@(\d+(?:\.\d+)?))?$/;

/** The business clock the environment asks for (see BUSINESS_CLOCK). */
export function businessClockFromEnv(env: Pick<Env, 'BUSINESS_CLOCK'>): Clock {
  if (env.BUSINESS_CLOCK === 'system') return new SystemClock();
  const m = BUSINESS_CLOCK_RE.exec(env.BUSINESS_CLOCK);
  if (!m || Number.isNaN(Date.parse(m[1]!))) throw new InvalidEnvironmentError(`BUSINESS_CLOCK: not an instant: ${env.BUSINESS_CLOCK}`);
  return new ScaledClock(new Date(m[1]!), Number(m[2] ?? 1));
}

export class InvalidEnvironmentError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new InvalidEnvironmentError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The HTTP timeouts the environment asks for. */
export function httpTimeoutsFromEnv(env: Env): { headersMs: number; requestMs: number; largeRequestMs: number; keepAliveMs: number } {
  return {
    headersMs: env.HTTP_HEADERS_TIMEOUT_MS,
    requestMs: env.HTTP_REQUEST_TIMEOUT_MS,
    largeRequestMs: env.HTTP_LARGE_REQUEST_TIMEOUT_MS,
    keepAliveMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
  };
}

export function isDevelopmentAdminTokens(env: Env): boolean {
  return [...env.ADMIN_TOKENS.keys()].some((t) => DEV_ADMIN_TOKENS.includes(`:${t}`));
}
