import { ACCOUNT_CODE_PATTERN, type AccountSpec } from './domain/transfer.js';

/** One statement that opens many accounts and their balance shards (used by commands and bulk seeding). */
export function openAccountsSql(specs: readonly AccountSpec[]): { sql: string; params: unknown[] } {
  for (const s of specs) {
    if (!ACCOUNT_CODE_PATTERN.test(s.code)) throw new Error(`bad account code "${s.code}"`);
    const shards = s.shards ?? 1;
    if (!Number.isInteger(shards) || shards < 1 || shards > 64) throw new Error(`bad shard count for ${s.code}`);
    if (shards > 1 && s.balanceRule !== 'UNBOUNDED') throw new Error(`${s.code}: only UNBOUNDED accounts can be sharded`);
  }
  return {
    sql: `
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
          AS t(code, region, kind, balance_rule, shards)
      ), opened AS (
        INSERT INTO ledger.accounts (code, region, kind, balance_rule, shards)
        SELECT code, region, kind, balance_rule, shards FROM input
        ON CONFLICT (code) DO NOTHING
        RETURNING code, shards
      )
      INSERT INTO ledger.balances (account_code, shard)
      SELECT o.code, s FROM opened o, generate_series(0, o.shards - 1) s`,
    params: [
      specs.map((s) => s.code),
      specs.map((s) => s.region),
      specs.map((s) => s.kind),
      specs.map((s) => s.balanceRule),
      specs.map((s) => s.shards ?? 1),
    ],
  };
}
