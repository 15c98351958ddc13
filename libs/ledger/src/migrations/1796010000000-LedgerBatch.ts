import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CHAIN_COUNT } from './1796001000000-Ledger.js';

/** First key of the advisory locks that claim a chain (the second is the chain number), as before. */
const CHAIN_LOCK_KEY = 1_717_000_003;
/** Seed of the 64-bit key under which a command id is claimed (its own lock space: one bigint key). */
const CLAIM_SEED = 1_717_000_010;
const APP_ROLE = 'onecard_app';
const DEFINER = `SECURITY DEFINER SET search_path = pg_catalog, pg_temp`;

/**
 * The batch-native ledger (ADR 0012, hash format 2 in ADR 0003):
 *  - hashes, payload digests and chain heads as `bytea` (the text hex of format 1 is decoded in
 *    place: every stored hash keeps its value, so every existing chain still verifies);
 *  - `journal.format` tells the hashed encoding of each record (1: the `|`-joined text of
 *    Ledger1796001000000; 2: a short header ‖ the SHA-256 of the record's RFC 8785 canonical JSON);
 *  - a format 2 record's entries are not hashed on their own (the record's content digest covers
 *    each leg's accounts and amount) and carry only what is not in the record: leg, account,
 *    shard, amount, balance after and version; `prev_hash` is not stored (it is the hash before);
 *  - `details` as `json` (stored as written, no binary copy);
 *  - `ledger.claim_commands` (the command ids of a batch, locked, and their stored results) and
 *    `ledger.commit_batch` (the journal records, entries, balance moves and chain-head advance of a
 *    whole batch in a few set-based statements) replace `stored_command` and `commit_command`.
 */
export class LedgerBatch1796010000000 implements MigrationInterface {
  name = 'LedgerBatch1796010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger.commit_command(jsonb, jsonb, json)`);
    await q.query(`DROP FUNCTION ledger.stored_command(text, text)`);
    await q.query(`DROP FUNCTION ledger.hf(text), ledger.us(timestamptz), ledger.sha(text)`);

    await q.query(`
      ALTER TABLE ledger.journal
        ALTER COLUMN payload_hash TYPE bytea USING decode(payload_hash, 'hex'),
        ALTER COLUMN prev_hash TYPE bytea USING decode(prev_hash, 'hex'),
        ALTER COLUMN prev_hash DROP NOT NULL,
        ALTER COLUMN hash TYPE bytea USING decode(hash, 'hex'),
        ALTER COLUMN details TYPE json USING details::text::json,
        ADD COLUMN format smallint NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE ledger.journal ALTER COLUMN format DROP DEFAULT`);
    await q.query(`ALTER TABLE ledger.journal DROP CONSTRAINT journal_record`);
    await q.query(`
      ALTER TABLE ledger.journal ADD CONSTRAINT journal_record CHECK (
        decision IN ('ALLOW', 'DENY') AND (decision = 'DENY') = (reason_code IS NOT NULL)
        AND legs >= 0 AND (decision = 'ALLOW' OR legs = 0) AND length(command_id) BETWEEN 1 AND 128
        AND format IN (1, 2) AND (format = 2 OR prev_hash IS NOT NULL) AND octet_length(hash) = 32)`);

    await q.query(`
      ALTER TABLE ledger.entries
        ALTER COLUMN prev_hash TYPE bytea USING decode(prev_hash, 'hex'),
        ALTER COLUMN hash TYPE bytea USING decode(hash, 'hex'),
        ALTER COLUMN command_type DROP NOT NULL,
        ALTER COLUMN command_id DROP NOT NULL,
        ALTER COLUMN balance_before DROP NOT NULL,
        ALTER COLUMN event_time DROP NOT NULL,
        ALTER COLUMN committed_at DROP NOT NULL,
        ALTER COLUMN prev_hash DROP NOT NULL,
        ALTER COLUMN hash DROP NOT NULL`);
    await q.query(`ALTER TABLE ledger.entries DROP CONSTRAINT entries_entry`);
    await q.query(`
      ALTER TABLE ledger.entries ADD CONSTRAINT entries_entry CHECK (
        amount <> 0 AND leg >= 0 AND account_version > 0 AND (balance_before IS NULL OR balance_after = balance_before + amount))`);

    await q.query(`ALTER TABLE ledger.chain_heads ALTER COLUMN hash TYPE bytea USING decode(hash, 'hex')`);

    await q.query(CLAIM_COMMANDS);
    await q.query(COMMIT_BATCH);
    await q.query(ENTRY_JOURNAL_VIEW);
    await q.query(RECORDS_VIEW);
    await q.query(ACCOUNT_BALANCES_VIEW);
    await q.query(REVERSAL_OF);
    await q.query(`REVOKE ALL ON FUNCTION ledger.commit_batch(${COMMIT_BATCH_ARGS}) FROM PUBLIC`);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          GRANT SELECT ON ledger.entry_journal, ledger.records, ledger.account_balances TO ${APP_ROLE};
          GRANT EXECUTE ON FUNCTION ledger.commit_batch(${COMMIT_BATCH_ARGS}), ledger.claim_commands(text[], text[]),
            ledger.reversal_of(text, text) TO ${APP_ROLE};
        END IF;
      END $$`);
  }

  async down(): Promise<void> {
    throw new Error('LedgerBatch1796010000000 is not reversible: format 2 records have no format 1 encoding');
  }
}

const COMMIT_BATCH_ARGS = `text[], text[], text[], text[], text[], text[], text[], text[], int[], bytea[], text[], text[], text[],
  timestamptz[], int[], text[], text[], bytea[], int[], text[], text[], bigint[]`;

/**
 * The first statement of every command transaction: each command id of the batch is claimed with a
 * transaction advisory lock (64-bit key, in key order, so two batches never wait on each other in
 * a cycle), then the stored results of those already journaled are answered. A twin of a command
 * in flight elsewhere (another batch, another process) waits here until that transaction ends and
 * then finds its result (read committed: the look-up's snapshot is taken after the locks), so a
 * journal insert never meets a racing twin.
 */
const CLAIM_COMMANDS = `
CREATE FUNCTION ledger.claim_commands(p_types text[], p_ids text[])
RETURNS TABLE (i int, payload_hash bytea, http_status smallint, response json, decision text, reason_code text)
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(s.k)
  FROM (SELECT DISTINCT hashtextextended(u.t || ':' || u.d, ${CLAIM_SEED}) AS k FROM unnest(p_types, p_ids) AS u(t, d) ORDER BY 1) s;
  -- A LATERAL look-up per id: one index probe each, whatever the (generic) plan guesses of the arrays.
  RETURN QUERY
    SELECT u.n::int, j.payload_hash, j.http_status, j.response, j.decision, j.reason_code
    FROM unnest(p_types, p_ids) WITH ORDINALITY AS u(t, d, n)
    CROSS JOIN LATERAL (SELECT x.payload_hash, x.http_status, x.response, x.decision, x.reason_code
                        FROM ledger.journal x WHERE x.command_type = u.t AND x.command_id = u.d) j;
END $$;
`;

/**
 * What a reversal of command (type, id) reads, as a declared read: the reversal of that group is
 * claimed first (a transaction advisory lock, so two reversals of one group take turns), then — in a
 * snapshot taken after the lock — the group's legs in order and the ALLOW reversal that stands, if
 * any. No row: no such command. One row with a null leg: a command that moved no money.
 */
const REVERSAL_OF = `
CREATE FUNCTION ledger.reversal_of(p_type text, p_id text)
RETURNS TABLE (leg int, from_account text, to_account text, amount bigint, reversed_by text)
LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('reverses:' || p_type || ':' || p_id, ${CLAIM_SEED}));
  RETURN QUERY
    SELECT l.leg, l.from_account, l.to_account, l.amount,
           (SELECT r.command_type || ':' || r.command_id FROM ledger.journal r
            WHERE r.reverses = p_type || ':' || p_id AND r.decision = 'ALLOW')
    FROM ledger.journal j
    LEFT JOIN LATERAL (
      SELECT d.leg, d.account_code AS from_account, c.account_code AS to_account, c.amount
      FROM ledger.entries d JOIN ledger.entries c ON c.chain = d.chain AND c.seq = d.seq + 1
      WHERE d.chain = j.chain AND d.seq > j.seq AND d.seq <= j.seq + 2 * j.legs AND d.amount < 0
    ) l ON true
    WHERE j.command_type = p_type AND j.command_id = p_id
    ORDER BY l.leg;
END $$;
`;

/**
 * A journal record's entries sit right after it on its chain: leg l's debit at seq + 1 + 2l, its
 * credit at seq + 2 + 2l, in both formats. This view names each entry's record without storing
 * the command on every entry.
 */
const ENTRY_JOURNAL_VIEW = `
CREATE VIEW ledger.entry_journal AS
  SELECT e.chain, e.seq, e.leg, e.account_code, e.shard, e.amount, e.balance_after, e.account_version,
         j.seq AS journal_seq, j.command_type, j.command_id, j.context, j.decision, j.subject, j.reverses,
         j.event_time, j.committed_at
  FROM ledger.entries e
  JOIN ledger.journal j ON j.chain = e.chain AND j.seq = e.seq - 1 - 2 * e.leg - (e.amount > 0)::int;
`;

/**
 * The journal as readers see it (histories, reports, explanations): every command's record without
 * the hash chain's internals. Read through this view, never the table, so that storage can change.
 */
const RECORDS_VIEW = `
CREATE VIEW ledger.records AS
  SELECT chain, seq, command_type, command_id, context, terminal_id, actor, decision, reason_code, rule_set_id,
         rule_version, subject, reverses, regions, legs, event_time, committed_at, http_status, response, details
  FROM ledger.journal;
`;

/** Each account with its balance and entry count summed over its shards. */
const ACCOUNT_BALANCES_VIEW = `
CREATE VIEW ledger.account_balances AS
  SELECT a.code AS account_code, a.region, a.kind, a.balance_rule, a.shards, a.opened_at,
         coalesce(sum(b.balance), 0)::bigint AS balance, coalesce(sum(b.version), 0)::bigint AS version
  FROM ledger.accounts a LEFT JOIN ledger.balances b ON b.account_code = a.code
  GROUP BY a.code;
`;

/**
 * ledger.commit_batch(commands…, legs…): the one call that ends every command transaction, for a
 * batch of one or many commands (the arrays c_* hold one element per command, in batch order; the
 * arrays l_* one per leg, grouped by command in order, l_cmd naming the command, 1-based).
 *  1. Checks the legs (positive amounts between two accounts, only ALLOW commands move money) and
 *     refuses a second ALLOW reversal of one group, in the journal or twice in the batch.
 *  2. Moves each touched account once for the whole batch by its net amount: single-shard rows in
 *     one statement that locks them in code order; a sharded (hot, UNBOUNDED) account takes one
 *     shard, the session's own if free, else any free one, else the one the first command's id
 *     picks (waiting).
 *  3. Walks every leg side in batch order (window functions) to give each entry its balance after
 *     and version, and refuses the first command that would take a NON_NEGATIVE account below 0.
 *  4. Claims a chain (own, any free, else wait), reads its head, and gives each command its
 *     sequence numbers (the record, then two per leg) and its hash: SHA-256(previous hash ‖
 *     'J2|chain|seq|committed µs|regions|' ‖ content digest), the digest being the SHA-256 of the
 *     record's canonical JSON computed by the caller (the verifier recomputes both from the stored
 *     columns and entries).
 *  5. Appends the records, the entries and the new chain head: three statements for the batch.
 * A refusal RAISEs SQLSTATE LDG01 with the refusal as JSON in DETAIL, naming the command by its
 * ordinal: the caller rolls back to the savepoint it took before its writes and commits the rest of
 * the batch with that command's refusal outcome instead.
 */
const COMMIT_BATCH = `
CREATE FUNCTION ledger.commit_batch(
  c_type text[], c_id text[], c_context text[], c_terminal text[], c_actor text[], c_decision text[],
  c_reason text[], c_rule_set text[], c_rule_version int[], c_payload bytea[], c_subject text[],
  c_reverses text[], c_regions text[], c_event timestamptz[], c_status int[], c_response text[],
  c_details text[], c_digest bytea[], l_cmd int[], l_from text[], l_to text[], l_amount bigint[]
) RETURNS int LANGUAGE plpgsql
${DEFINER}
SET plan_cache_mode = force_generic_plan
AS $fn$
DECLARE
  n         int := coalesce(cardinality(c_id), 0);
  nl        int := coalesce(cardinality(l_cmd), 0);
  a_code    text[];
  a_delta   bigint[];
  a_count   int[];
  a_shard   int[];
  a_base    bigint[];
  a_vbase   bigint[];
  a_rule    text[];
  a_region  text[];
  e_cmd     int[];
  e_leg     int[];
  e_code    text[];
  e_shard   int[];
  e_amount  bigint[];
  e_after   bigint[];
  e_version bigint[];
  j_legs    int[];
  j_regions text[];
  j_seq     bigint[];
  j_hash    bytea[];
  r         record;
  i         int;
  k         int;
  v_key     int;
  v_shard   int;
  v_shards  int;
  v_chain   int;
  v_seq     bigint;
  v_prev    bytea;
  v_now     timestamptz;
  v_us      text;
BEGIN
  IF n = 0 THEN RETURN 0; END IF;
  IF cardinality(l_from) IS DISTINCT FROM nl OR cardinality(l_to) IS DISTINCT FROM nl OR cardinality(l_amount) IS DISTINCT FROM nl
     OR cardinality(c_digest) <> n OR cardinality(c_decision) <> n THEN
    RAISE EXCEPTION 'commit_batch: arrays of unequal length' USING ERRCODE = 'check_violation';
  END IF;

  -- 1. Legs well formed; a DENY moves no money.
  IF nl > 0 THEN
    SELECT min(u.k) INTO k FROM unnest(l_cmd, l_from, l_to, l_amount) WITH ORDINALITY AS u(c, f, t, a, k)
    WHERE u.a IS NULL OR u.a <= 0 OR u.f IS NULL OR u.t IS NULL OR u.f = u.t OR u.c IS NULL OR u.c < 1 OR u.c > n
       OR c_decision[u.c] <> 'ALLOW';
    IF k IS NOT NULL THEN
      RAISE EXCEPTION 'commit_batch: leg % is malformed (a positive amount between two accounts, of an ALLOW)', k USING ERRCODE = 'check_violation';
    END IF;
  END IF;

  -- A group is reversed at most once (the unique index journal_reverses_once backs this up).
  IF EXISTS (SELECT 1 FROM unnest(c_reverses, c_decision) AS u(rv, d) WHERE u.rv IS NOT NULL AND u.d = 'ALLOW') THEN
    FOR i IN 1 .. n LOOP
      CONTINUE WHEN c_reverses[i] IS NULL OR c_decision[i] <> 'ALLOW';
      SELECT jr.command_type || ':' || jr.command_id AS key INTO r FROM ledger.journal jr
      WHERE jr.reverses = c_reverses[i] AND jr.decision = 'ALLOW';
      IF NOT FOUND THEN
        SELECT c_type[x] || ':' || c_id[x] AS key INTO r FROM generate_series(1, i - 1) x
        WHERE c_reverses[x] = c_reverses[i] AND c_decision[x] = 'ALLOW' LIMIT 1;
      END IF;
      IF r.key IS NOT NULL THEN
        RAISE EXCEPTION 'ledger refused: % is already reversed', c_reverses[i] USING ERRCODE = 'LDG01',
          DETAIL = json_build_object('ordinal', i, 'code', 'ALREADY_REVERSED', 'reverses', c_reverses[i], 'reversedBy', r.key)::text;
      END IF;
      PERFORM 1 FROM ledger.journal jr
      WHERE jr.command_type = split_part(c_reverses[i], ':', 1)
        AND jr.command_id = substr(c_reverses[i], length(split_part(c_reverses[i], ':', 1)) + 2) AND jr.decision = 'ALLOW';
      IF NOT FOUND THEN
        RAISE EXCEPTION 'no ALLOW command % to reverse', c_reverses[i] USING ERRCODE = 'foreign_key_violation';
      END IF;
      r := NULL;
    END LOOP;
  END IF;

  -- 2. Each touched account moved once, by the batch's net amount, in code order.
  IF nl > 0 THEN
    SELECT array_agg(g.code ORDER BY g.code), array_agg(g.delta ORDER BY g.code), array_agg(g.cnt ORDER BY g.code)
    INTO a_code, a_delta, a_count
    FROM (SELECT s.code, sum(s.amount)::bigint AS delta, count(*)::int AS cnt
          FROM (SELECT u.f AS code, -u.a AS amount FROM unnest(l_from, l_amount) AS u(f, a)
                UNION ALL SELECT u.t, u.a FROM unnest(l_to, l_amount) AS u(t, a)) s
          GROUP BY s.code) g;
    k := cardinality(a_code);
    a_shard := array_fill(NULL::int, ARRAY[k]);
    a_base := array_fill(NULL::bigint, ARRAY[k]);
    a_vbase := array_fill(NULL::bigint, ARRAY[k]);
    a_rule := array_fill(NULL::text, ARRAY[k]);
    a_region := array_fill(NULL::text, ARRAY[k]);
    -- Single-shard accounts in one statement; the sub-select locks their rows in code order
    -- whatever join the planner picks (LockRows runs above the sort): one global order, no deadlock.
    FOR r IN
      UPDATE ledger.balances b SET balance = b.balance + u.delta, version = b.version + u.cnt
      FROM (SELECT x.account_code FROM ledger.balances x
            WHERE x.account_code = ANY (a_code) AND x.shard = 0 AND x.shards = 1
            ORDER BY x.account_code FOR UPDATE) l,
           unnest(a_code, a_delta, a_count) WITH ORDINALITY AS u(code, delta, cnt, k)
      WHERE l.account_code = u.code AND b.account_code = l.account_code AND b.shard = 0
      RETURNING u.k, b.shard, b.balance - u.delta AS base, b.version - u.cnt AS vbase, b.balance_rule, b.region
    LOOP
      a_shard[r.k] := r.shard; a_base[r.k] := r.base; a_vbase[r.k] := r.vbase; a_rule[r.k] := r.balance_rule; a_region[r.k] := r.region;
    END LOOP;
    -- Sharded accounts: one shard each for the whole batch, claimed with a transaction advisory
    -- lock (a try costs no row lock and no WAL). Holders of a shard never wait for a single-shard
    -- row afterwards, so this cannot close a wait cycle.
    FOR k IN 1 .. cardinality(a_code) LOOP
      CONTINUE WHEN a_shard[k] IS NOT NULL;
      v_key := hashtext(a_code[k]);
      SELECT a.shards INTO v_shards FROM ledger.accounts a WHERE a.code = a_code[k];
      IF NOT FOUND THEN
        RAISE EXCEPTION 'ledger account % does not exist', a_code[k] USING ERRCODE = 'foreign_key_violation';
      END IF;
      v_shard := NULL;
      FOR i IN 0 .. v_shards - 1 LOOP
        IF pg_try_advisory_xact_lock(v_key, (pg_backend_pid() + i) % v_shards) THEN
          v_shard := (pg_backend_pid() + i) % v_shards;
          EXIT;
        END IF;
      END LOOP;
      IF v_shard IS NULL THEN
        v_shard := abs(hashtext(c_id[1])) % v_shards;
        PERFORM pg_advisory_xact_lock(v_key, v_shard);
      END IF;
      UPDATE ledger.balances b SET balance = b.balance + a_delta[k], version = b.version + a_count[k]
      WHERE b.account_code = a_code[k] AND b.shard = v_shard
      RETURNING b.shard, b.balance - a_delta[k] AS base, b.version - a_count[k] AS vbase, b.balance_rule, b.region INTO r;
      a_shard[k] := r.shard; a_base[k] := r.base; a_vbase[k] := r.vbase; a_rule[k] := r.balance_rule; a_region[k] := r.region;
    END LOOP;

    -- 3. Every leg side in batch order: debit then credit of leg 0, then leg 1, …
    SELECT array_agg(w.cmd ORDER BY w.pos), array_agg(w.leg ORDER BY w.pos), array_agg(w.code ORDER BY w.pos),
           array_agg(w.shard ORDER BY w.pos), array_agg(w.amount ORDER BY w.pos), array_agg(w.after ORDER BY w.pos),
           array_agg(w.version ORDER BY w.pos)
    INTO e_cmd, e_leg, e_code, e_shard, e_amount, e_after, e_version
    FROM (
      SELECT s.pos, s.cmd, s.leg, s.code, acc.shard, s.amount,
             acc.base + sum(s.amount) OVER w AS after, acc.vbase + row_number() OVER w AS version
      FROM (SELECT 2 * u.k + v.side AS pos, u.c AS cmd, (u.k - min(u.k) OVER (PARTITION BY u.c))::int AS leg,
                   CASE v.side WHEN 0 THEN u.f ELSE u.t END AS code, CASE v.side WHEN 0 THEN -u.a ELSE u.a END AS amount
            FROM unnest(l_cmd, l_from, l_to, l_amount) WITH ORDINALITY AS u(c, f, t, a, k), (VALUES (0), (1)) AS v(side)) s
      JOIN unnest(a_code, a_shard, a_base, a_vbase) AS acc(code, shard, base, vbase) ON acc.code = s.code
      WINDOW w AS (PARTITION BY s.code ORDER BY s.pos)
    ) w;
    -- The first side that takes a NON_NEGATIVE account below zero names the refused command.
    SELECT x.i, x.code, x.after, x.amount INTO r
    FROM unnest(e_cmd, e_code, e_after, e_amount) WITH ORDINALITY AS x(c, code, after, amount, i)
    JOIN unnest(a_code, a_rule) AS acc(code, rule) ON acc.code = x.code
    WHERE acc.rule = 'NON_NEGATIVE' AND x.after < 0 ORDER BY x.i LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'ledger refused: % would go negative', r.code USING ERRCODE = 'LDG01',
        DETAIL = json_build_object('ordinal', e_cmd[r.i], 'code', 'INSUFFICIENT_BALANCE', 'account', r.code,
                                   'balance', r.after - r.amount, 'required', -r.amount)::text;
    END IF;
  END IF;

  -- Legs and regions per command: the regions the command names and those of the accounts it moves.
  SELECT array_agg(coalesce(x.legs, 0) ORDER BY g.i), array_agg(coalesce(x.regions, '') ORDER BY g.i)
  INTO j_legs, j_regions
  FROM generate_series(1, n) AS g(i)
  LEFT JOIN (
    SELECT y.i, max(y.legs)::int AS legs, string_agg(DISTINCT y.region, ',' ORDER BY y.region) AS regions
    FROM (SELECT g2.i, NULL::int AS legs, t.region FROM generate_series(1, n) AS g2(i),
                 unnest(string_to_array(nullif(c_regions[g2.i], ''), ',')) AS t(region)
          UNION ALL
          SELECT e.c, e.leg + 1, acc.region
          FROM unnest(e_cmd, e_leg, e_code) AS e(c, leg, code) JOIN unnest(a_code, a_region) AS acc(code, region) ON acc.code = e.code) y
    GROUP BY y.i
  ) x ON x.i = g.i;

  -- 4. A chain: the session's own, else any free one, else wait for one. The head is read afresh
  -- (read committed: the previous holder committed before it let go); (chain, seq) refuses a fork.
  v_chain := NULL;
  FOR i IN 0 .. ${CHAIN_COUNT - 1} LOOP
    IF pg_try_advisory_xact_lock(${CHAIN_LOCK_KEY}, (pg_backend_pid() + i) % ${CHAIN_COUNT}) THEN
      v_chain := (pg_backend_pid() + i) % ${CHAIN_COUNT};
      EXIT;
    END IF;
  END LOOP;
  IF v_chain IS NULL THEN
    v_chain := abs(hashtext(c_id[1])) % ${CHAIN_COUNT};
    PERFORM pg_advisory_xact_lock(${CHAIN_LOCK_KEY}, v_chain);
  END IF;
  SELECT h.seq, h.hash INTO v_seq, v_prev FROM ledger.chain_heads h WHERE h.chain = v_chain;
  -- The commit time is read once the chain is held, so it never goes back on a chain.
  v_now := date_trunc('milliseconds', clock_timestamp());
  v_us := ((extract(epoch FROM v_now) * 1000000)::bigint)::text;
  j_seq := array_fill(NULL::bigint, ARRAY[n]);
  j_hash := array_fill(NULL::bytea, ARRAY[n]);
  FOR i IN 1 .. n LOOP
    v_seq := v_seq + 1;
    j_seq[i] := v_seq;
    v_prev := sha256(v_prev || convert_to('J2|' || v_chain || '|' || v_seq || '|' || v_us || '|' || j_regions[i] || '|', 'UTF8') || c_digest[i]);
    j_hash[i] := v_prev;
    v_seq := v_seq + 2 * j_legs[i];
  END LOOP;

  -- 5. All appends: the records, the entries, the head.
  INSERT INTO ledger.journal (chain, seq, format, command_type, command_id, context, terminal_id, actor, decision,
    reason_code, rule_set_id, rule_version, payload_hash, subject, reverses, regions, legs, event_time,
    committed_at, http_status, response, details, hash)
  SELECT v_chain, j_seq[g.i], 2, c_type[g.i], c_id[g.i], c_context[g.i], c_terminal[g.i], c_actor[g.i], c_decision[g.i],
    c_reason[g.i], c_rule_set[g.i], c_rule_version[g.i], c_payload[g.i], c_subject[g.i], c_reverses[g.i],
    coalesce(string_to_array(nullif(j_regions[g.i], ''), ','), '{}'), j_legs[g.i], c_event[g.i], v_now, c_status[g.i]::smallint,
    c_response[g.i]::json, c_details[g.i]::json, j_hash[g.i]
  FROM generate_series(1, n) AS g(i);
  IF nl > 0 THEN
    INSERT INTO ledger.entries (chain, seq, leg, account_code, shard, amount, balance_after, account_version)
    SELECT v_chain, j_seq[e.c] + 1 + 2 * e.leg + (e.amount > 0)::int, e.leg, e.code, e.shard, e.amount, e.after, e.version
    FROM unnest(e_cmd, e_leg, e_code, e_shard, e_amount, e_after, e_version) AS e(c, leg, code, shard, amount, after, version);
  END IF;
  UPDATE ledger.chain_heads SET seq = v_seq, hash = v_prev, updated_at = v_now WHERE chain = v_chain;
  RETURN n;
END
$fn$;
`;
