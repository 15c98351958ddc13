import { ACCOUNT_CODE_PATTERN, type AccountSpec } from './domain/transfer.js';

/**
 * One statement that opens many accounts and their balance shards (used by commands and bulk
 * seeding). It calls `ledger.open_accounts`, the only way the service's role can add accounts;
 * an existing code is left as it is. The statement answers `[{opened: <count of new accounts>}]`.
 */
export function openAccountsSql(specs: readonly AccountSpec[]): { sql: string; params: unknown[] } {
  for (const s of specs) validateAccountSpec(s);
  return {
    sql: `SELECT ledger.open_accounts($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) AS opened`,
    params: [specs.map((s) => s.code), specs.map((s) => s.region), specs.map((s) => s.kind), specs.map((s) => s.balanceRule), specs.map((s) => s.shards ?? 1)],
  };
}

export function validateAccountSpec(s: AccountSpec): void {
  if (!ACCOUNT_CODE_PATTERN.test(s.code)) throw new Error(`bad account code "${s.code}"`);
  if (!/^[A-Z][A-Z_]*$/.test(s.kind)) throw new Error(`${s.code}: bad account kind "${s.kind}"`);
  if (s.balanceRule !== 'NON_NEGATIVE' && s.balanceRule !== 'UNBOUNDED') throw new Error(`${s.code}: bad balance rule`);
  const shards = s.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1 || shards > 64) throw new Error(`bad shard count for ${s.code}`);
  if (shards > 1 && s.balanceRule !== 'UNBOUNDED') throw new Error(`${s.code}: only UNBOUNDED accounts can be sharded`);
}
