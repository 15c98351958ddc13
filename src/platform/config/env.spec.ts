import { SystemClock, ScaledClock } from '@onecard/kernel';
import {
  businessClockFromEnv,
  DEV_ADMIN_TOKENS,
  DEV_PII_HASH_KEY,
  DEV_TERMINAL_MASTER_KEY,
  InvalidEnvironmentError,
  isDevelopmentAdminTokens,
  parseEnv,
} from './env.js';

describe('environment', () => {
  it('has development defaults so a fresh clone runs with nothing set', () => {
    const env = parseEnv({});
    expect(env.NODE_ENV).toBe('development');
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TERMINAL_MASTER_KEY).toBe(DEV_TERMINAL_MASTER_KEY);
    expect([...env.ADMIN_TOKENS.values()].map((g) => g.role).sort()).toEqual(['auditor', 'operator']);
    expect(isDevelopmentAdminTokens(env)).toBe(true);
  });

  it('parses ADMIN_TOKENS as role:token pairs', () => {
    const env = parseEnv({ ADMIN_TOKENS: 'operator:op-secret-123,auditor:au-secret-456' });
    expect(env.ADMIN_TOKENS.get('op-secret-123')).toEqual({ role: 'operator', region: null });
    expect(env.ADMIN_TOKENS.get('au-secret-456')).toEqual({ role: 'auditor', region: null });
    expect(isDevelopmentAdminTokens(env)).toBe(false);
  });

  it('parses a region-scoped token role@region:token', () => {
    const env = parseEnv({ ADMIN_TOKENS: 'auditor@11:bj-audit-secret,operator:op-secret-123' });
    expect(env.ADMIN_TOKENS.get('bj-audit-secret')).toEqual({ role: 'auditor', region: '11' });
    expect(isDevelopmentAdminTokens(env)).toBe(false);
  });

  it.each([
    ['ADMIN_TOKENS', 'root:abcdefghij'],
    ['ADMIN_TOKENS', 'operator:short'],
    ['ADMIN_TOKENS', 'operator'],
    ['ADMIN_TOKENS', 'auditor@14:abcdefghij'],
    ['ADMIN_TOKENS', 'auditor@:abcdefghij'],
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://x'],
    ['NODE_ENV', 'staging'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(name));
  });

  it('refuses to start in production with any development secret or without DATABASE_URL', () => {
    let error: unknown;
    try {
      parseEnv({ NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const text = (error as Error).message;
    for (const name of ['TERMINAL_MASTER_KEY', 'ADMIN_TOKENS', 'PII_HASH_KEY', 'DATABASE_URL']) expect(text).toContain(name);
    expect(() =>
      parseEnv({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        TERMINAL_MASTER_KEY: DEV_TERMINAL_MASTER_KEY,
        ADMIN_TOKENS: 'operator:prod-token-1',
        PII_HASH_KEY: 'prod-pii-key-0123456789',
      }),
    ).toThrow(/TERMINAL_MASTER_KEY/);
    expect(() =>
      parseEnv({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        TERMINAL_MASTER_KEY: 'prod-master-key-0123456789',
        ADMIN_TOKENS: DEV_ADMIN_TOKENS,
        PII_HASH_KEY: 'prod-pii-key-0123456789',
      }),
    ).toThrow(/ADMIN_TOKENS/);
    expect(() =>
      parseEnv({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        TERMINAL_MASTER_KEY: 'prod-master-key-0123456789',
        ADMIN_TOKENS: 'operator:prod-token-1',
        PII_HASH_KEY: DEV_PII_HASH_KEY,
      }),
    ).toThrow(/PII_HASH_KEY/);
    const ok = parseEnv({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/x',
      TERMINAL_MASTER_KEY: 'prod-master-key-0123456789',
      ADMIN_TOKENS: 'operator:prod-token-1',
      PII_HASH_KEY: 'prod-pii-key-0123456789',
    });
    expect(ok.NODE_ENV).toBe('production');
  });

  it.each(['', ' ', ',', 'root:abcdefghij', 'operator:short'])(
    'refuses ADMIN_TOKENS=%j in production with the validation message, not a TypeError (issue 12 §5)',
    (tokens) => {
      const production = {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        TERMINAL_MASTER_KEY: 'prod-master-key-0123456789',
        PII_HASH_KEY: 'prod-pii-key-0123456789',
        ADMIN_TOKENS: tokens,
      };
      let error: unknown;
      try {
        parseEnv(production);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidEnvironmentError);
      expect((error as Error).message).toMatch(/ADMIN_TOKENS: /);
    },
  );

  it('runs business time on the system clock unless BUSINESS_CLOCK names a simulated start (and speed)', () => {
    expect(businessClockFromEnv(parseEnv({}))).toBeInstanceOf(SystemClock);
    const clock = businessClockFromEnv(parseEnv({ BUSINESS_CLOCK: '2026-03-02T07:00:00+08:00@60' }));
    expect(clock).toBeInstanceOf(ScaledClock);
    expect((clock as ScaledClock).speed).toBe(60);
    expect(Math.abs(clock.now().getTime() - Date.parse('2026-03-02T07:00:00+08:00'))).toBeLessThan(60_000);
    expect((businessClockFromEnv(parseEnv({ BUSINESS_CLOCK: '2026-03-02T07:00:00Z' })) as ScaledClock).speed).toBe(1);
    expect(() => parseEnv({ BUSINESS_CLOCK: '2026-03-02 07:00' })).toThrow(/BUSINESS_CLOCK/);
    expect(() => parseEnv({ BUSINESS_CLOCK: 'tomorrow' })).toThrow(/BUSINESS_CLOCK/);
    expect(() =>
      parseEnv({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        TERMINAL_MASTER_KEY: 'prod-master-key-0123456789',
        ADMIN_TOKENS: 'operator:prod-token-1',
        PII_HASH_KEY: 'prod-pii-key-0123456789',
        BUSINESS_CLOCK: '2026-03-02T07:00:00+08:00',
      }),
    ).toThrow(/BUSINESS_CLOCK/);
  });
});
