import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger schema (ADR 0003, 0004): accounts with sharded balances, the command journal and
 * double-entry entries, both hash-chained on CHAIN_COUNT independent chains, append-only by
 * trigger and by privilege, and the three functions through which every write goes.
 */
export const CHAIN_COUNT = 16;
/** First key of the advisory locks that claim a chain (the second is the chain number). */
const CHAIN_LOCK_KEY = 1_717_000_003;
const APP_ROLE = 'onecard_app';
/** Functions that write run as their owner; callers need only EXECUTE (ADR 0004). */
const DEFINER = `SECURITY DEFINER SET search_path = pg_catalog, pg_temp`;

export class Ledger1796001000000 implements MigrationInterface {
  name = 'Ledger1796001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS ledger`);

    await q.query(`
      CREATE TABLE ledger.accounts (
        code          text PRIMARY KEY CHECK (code ~ '^[a-z]+(:[A-Za-z0-9_.-]+)+$'),
        region        text CHECK (region IN ('11', '12', '13')),
        kind          text NOT NULL CHECK (kind ~ '^[A-Z][A-Z_]*$'),
        balance_rule  text NOT NULL CHECK (balance_rule IN ('NON_NEGATIVE', 'UNBOUNDED')),
        shards        int  NOT NULL DEFAULT 1 CHECK (shards BETWEEN 1 AND 64),
        opened_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        -- A balance that must not go negative is checked on one row under one lock.
        CHECK (balance_rule = 'UNBOUNDED' OR shards = 1)
      )`);
    // Prefix look-ups (`card:<cardNo>:%`, `fund:12:%`) whatever the database collation.
    await q.query(`CREATE INDEX accounts_code_prefix ON ledger.accounts (code text_pattern_ops)`);
    await q.query(`CREATE INDEX accounts_kind ON ledger.accounts (kind, code)`);

    // The mutable projection: one row per account shard. Hot accounts (rail revenue, funds) are
    // spread over shards so concurrent transfers do not queue on one row lock (ADR 0003). The
    // account's rule, shard count and region are copied here (never changed) so that posting
    // touches one row per account.
    await q.query(`
      CREATE TABLE ledger.balances (
        account_code  text   NOT NULL REFERENCES ledger.accounts (code),
        shard         int    NOT NULL,
        shards        int    NOT NULL,
        balance_rule  text   NOT NULL,
        region        text,
        balance       bigint NOT NULL DEFAULT 0,
        version       bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (account_code, shard),
        CONSTRAINT balances_shard CHECK (shard >= 0 AND shard < shards)
      )`);

    await q.query(`
      CREATE TABLE ledger.chain_heads (
        chain       int    PRIMARY KEY,
        seq         bigint NOT NULL,
        hash        text   NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(
      `INSERT INTO ledger.chain_heads (chain, seq, hash)
       SELECT c, 0, encode(sha256(convert_to('onecard-ledger-genesis|' || c, 'UTF8')), 'hex')
       FROM generate_series(0, ${CHAIN_COUNT - 1}) AS c`,
    );

    await q.query(`
      CREATE TABLE ledger.journal (
        chain         int    NOT NULL,
        seq           bigint NOT NULL,
        command_type  text   NOT NULL,
        command_id    text   NOT NULL,
        context       text   NOT NULL,
        terminal_id   text,
        actor         text,
        decision      text   NOT NULL,
        reason_code   text,
        rule_set_id   text,
        rule_version  int,
        payload_hash  text   NOT NULL,
        subject       text,
        reverses      text,
        regions       text[] NOT NULL DEFAULT '{}',
        legs          int    NOT NULL, -- its entries are seq+1 .. seq+2*legs
        event_time    timestamptz NOT NULL,
        committed_at  timestamptz NOT NULL,
        http_status   smallint NOT NULL,
        response      json   NOT NULL, -- json, not jsonb: a replay returns the original bytes
        details       jsonb,
        prev_hash     text   NOT NULL,
        hash          text   NOT NULL,
        PRIMARY KEY (chain, seq),
        CONSTRAINT journal_command_key UNIQUE (command_type, command_id),
        -- One CHECK, not several: each costs set-up per statement. Formats (type, id, reason code,
        -- digest) are checked by the executor, the only caller of commit_command.
        CONSTRAINT journal_record CHECK (decision IN ('ALLOW', 'DENY') AND (decision = 'DENY') = (reason_code IS NOT NULL)
          AND legs >= 0 AND (decision = 'ALLOW' OR legs = 0) AND length(command_id) BETWEEN 1 AND 128)
      )`);
    // A group is reversed at most once: a second reversal fails on this index. A refused (DENY)
    // reversal may name the group too without blocking the real one.
    await q.query(`CREATE UNIQUE INDEX journal_reverses_once ON ledger.journal (reverses) WHERE reverses IS NOT NULL AND decision = 'ALLOW'`);
    await q.query(`CREATE INDEX journal_subject ON ledger.journal (subject, committed_at) WHERE subject IS NOT NULL`);

    // No foreign keys on entries: only commit_command writes them, right after locking their
    // accounts and in the statement that writes their journal record; an FK check would take a
    // KEY SHARE lock on the hot account rows on every transfer. Verification proves both relations
    // (ADR 0003). A group's entries are seq+1 .. seq+2*legs after its journal record, and an
    // account's entries are found by (account_code, shard, account_version): no other index.
    await q.query(`
      CREATE TABLE ledger.entries (
        chain            int    NOT NULL,
        seq              bigint NOT NULL,
        command_type     text   NOT NULL,
        command_id       text   NOT NULL,
        leg              int    NOT NULL,
        account_code     text   NOT NULL,
        shard            int    NOT NULL,
        amount           bigint NOT NULL,
        balance_before   bigint NOT NULL,
        balance_after    bigint NOT NULL,
        account_version  bigint NOT NULL,
        event_time       timestamptz NOT NULL,
        committed_at     timestamptz NOT NULL,
        prev_hash        text   NOT NULL,
        hash             text   NOT NULL,
        PRIMARY KEY (chain, seq),
        CONSTRAINT entries_entry CHECK (amount <> 0 AND leg >= 0 AND account_version > 0 AND balance_after = balance_before + amount),
        CONSTRAINT entries_account_version UNIQUE (account_code, shard, account_version)
      )`);

    // Append-only, enforced by the database for every role, the owner included (ADR 0004).
    await q.query(`
      CREATE FUNCTION ledger.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger.% is append-only: % refused (post a reversal instead)', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['accounts', 'journal', 'entries']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ledger.${table} FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ledger.${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change()`);
    }
    // Balances and chain heads move forward, but rows are never removed and their identity never
    // changes (a column trigger costs nothing on the balance/version updates that posting does).
    await q.query(`CREATE TRIGGER balances_no_delete BEFORE DELETE ON ledger.balances FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change()`);
    await q.query(
      `CREATE TRIGGER balances_identity BEFORE UPDATE OF account_code, shard, shards, balance_rule, region ON ledger.balances FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change()`,
    );
    await q.query(`CREATE TRIGGER balances_no_truncate BEFORE TRUNCATE ON ledger.balances FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change()`);
    await q.query(`CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON ledger.chain_heads FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change()`);
    await q.query(`CREATE TRIGGER chain_heads_identity BEFORE UPDATE OF chain ON ledger.chain_heads FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change()`);
    await q.query(`CREATE TRIGGER chain_heads_no_truncate BEFORE TRUNCATE ON ledger.chain_heads FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change()`);

    await q.query(HASH_FUNCTIONS);
    await q.query(STORED_COMMAND);
    await q.query(OPEN_ACCOUNTS);
    await q.query(LOCK_BALANCES);
    await q.query(COMMIT_COMMAND);

    // Nobody but the owner and the application role may call the writing functions.
    for (const fn of ['open_accounts(text[], text[], text[], text[], int[])', 'lock_balances(text[])', 'commit_command(jsonb, jsonb, json)']) {
      await q.query(`REVOKE ALL ON FUNCTION ledger.${fn} FROM PUBLIC`);
    }
    // The application role reads the ledger and writes it only through those functions: it holds
    // no INSERT, UPDATE, DELETE or TRUNCATE on any ledger table (ADR 0004).
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          GRANT USAGE ON SCHEMA ledger TO ${APP_ROLE};
          REVOKE ALL ON ALL TABLES IN SCHEMA ledger FROM ${APP_ROLE};
          GRANT SELECT ON ALL TABLES IN SCHEMA ledger TO ${APP_ROLE};
          GRANT EXECUTE ON FUNCTION ledger.open_accounts(text[], text[], text[], text[], int[]),
            ledger.lock_balances(text[]), ledger.commit_command(jsonb, jsonb, json),
            ledger.hf(text), ledger.us(timestamptz), ledger.sha(text), ledger.stored_command(text, text) TO ${APP_ROLE};
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA ledger CASCADE`);
  }
}

/**
 * The canonical encodings that are hashed. `libs/ledger/src/domain/chain-hash.ts` mirrors them
 * exactly and the verifier recomputes every hash from raw columns in TypeScript, so a changed
 * function in the database cannot vouch for itself. (STABLE, not IMMUTABLE, because extract() on
 * timestamptz and convert_to() are STABLE: declared any stricter, PostgreSQL would not inline them.)
 */
const HASH_FUNCTIONS = `
CREATE FUNCTION ledger.hf(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT replace(replace(coalesce(v, ''), '\\', '\\\\'), '|', '\\|')
$$;

CREATE FUNCTION ledger.us(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT (extract(epoch FROM t) * 1000000)::bigint::text
$$;

CREATE FUNCTION ledger.sha(v text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(v, 'UTF8')), 'hex')
$$;
`;

/**
 * The stored result of a command, if it ran: what the executor looks up (with BEGIN, in one round
 * trip) before running a command. A plpgsql body keeps its plan for the session, where the same
 * SELECT sent as text would be parsed and planned on every command.
 */
const STORED_COMMAND = `
CREATE FUNCTION ledger.stored_command(p_type text, p_id text)
RETURNS TABLE (payload_hash text, http_status smallint, response json, decision text, reason_code text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY SELECT j.payload_hash, j.http_status, j.response, j.decision, j.reason_code
  FROM ledger.journal j WHERE j.command_type = p_type AND j.command_id = p_id;
END $$;
`;

/** Opens accounts and their balance shards; an existing code is left as it is. Answers how many were new. */
const OPEN_ACCOUNTS = `
CREATE FUNCTION ledger.open_accounts(p_code text[], p_region text[], p_kind text[], p_rule text[], p_shards int[])
RETURNS int LANGUAGE sql ${DEFINER} AS $$
  WITH opened AS (
    INSERT INTO ledger.accounts (code, region, kind, balance_rule, shards)
    SELECT * FROM unnest(p_code, p_region, p_kind, p_rule, p_shards)
    ON CONFLICT (code) DO NOTHING
    RETURNING code, region, balance_rule, shards
  ), shards AS (
    INSERT INTO ledger.balances (account_code, shard, shards, balance_rule, region)
    SELECT o.code, s, o.shards, o.balance_rule, o.region FROM opened o, generate_series(0, o.shards - 1) s
  )
  SELECT count(*)::int FROM opened
$$;
`;

/**
 * Locks every shard of the given accounts until commit, in (code, shard) order, and answers their
 * balances: a context decides on a balance that then holds when the transfer posts.
 */
const LOCK_BALANCES = `
CREATE FUNCTION ledger.lock_balances(p_codes text[]) RETURNS TABLE (account_code text, balance bigint)
LANGUAGE sql ${DEFINER} AS $$
  SELECT b.account_code, b.balance FROM ledger.balances b
  WHERE b.account_code = ANY (p_codes) ORDER BY b.account_code, b.shard FOR UPDATE
$$;
`;

/**
 * ledger.commit_command(cmd, legs, response): the single call that ends every command transaction.
 *  1. A second ALLOW reversal of one group is refused before anything is touched.
 *  2. Moves each touched account's balance by the group's net amount, one row per account, in
 *     account-code order: a single-shard account's row waits for its lock (one global order rules
 *     out deadlocks); a sharded (hot, UNBOUNDED) account takes the session's own shard, else any
 *     free one (SKIP LOCKED), and waits only if every shard is busy. Then walks the legs in order
 *     to give each entry its balance before/after and version, checking each balance rule.
 *  3. Takes the session's chain head, else any free one (SKIP LOCKED), computes the chained SHA-256
 *     of the journal record and of one entry per leg side, and writes journal, entries and head in
 *     one statement.
 * A refusal (a balance rule, a second reversal) RAISEs SQLSTATE LDG01 with the refusal as JSON in
 * DETAIL: the caller's transaction, the context's own change included, is void, and the executor
 * records the DENY in a fresh one. The caller's COMMIT makes it all durable at once.
 * About four SQL statements per call: each costs far more than the plpgsql arithmetic around it
 * (ADR 0003, "Throughput").
 */
const COMMIT_COMMAND = `
CREATE FUNCTION ledger.commit_command(cmd jsonb, legs jsonb, p_response json) RETURNS jsonb LANGUAGE plpgsql
${DEFINER}
-- Plan each statement once per session: re-planning per call would cost more than the rest.
SET plan_cache_mode = force_generic_plan
AS $fn$
DECLARE
  v_type      text := cmd->>'type';
  v_id        text := cmd->>'id';
  v_reverses  text := cmd->>'reverses';
  v_event     timestamptz := (cmd->>'eventTime')::timestamptz;
  v_now       timestamptz;
  n           int := coalesce(jsonb_array_length(legs), 0);
  l_from      text[] := '{}';
  l_to        text[] := '{}';
  l_amount    bigint[] := '{}';
  a_code      text[] := '{}';    -- touched accounts in code order, and per account:
  a_delta     bigint[] := '{}';  -- the group's net amount and number of entries
  a_count     int[] := '{}';
  a_rule      text[] := '{}';
  a_region    text[] := '{}';
  b_shard     int[] := '{}';     -- the shard moved, and its balance and version as the legs walk
  b_balance   bigint[] := '{}';
  b_version   bigint[] := '{}';
  e_leg       int[] := '{}';
  e_code      text[] := '{}';
  e_shard     int[] := '{}';
  e_amount    bigint[] := '{}';
  e_before    bigint[] := '{}';
  e_after     bigint[] := '{}';
  e_version   bigint[] := '{}';
  e_seq       bigint[] := '{}';
  e_prev      text[] := '{}';
  e_hash      text[] := '{}';
  r           record;
  i           int;
  j           int;
  k           int;
  amt         bigint;
  v_code      text;
  v_regions   text[] := '{}';
  g           text;
  v_key       int;
  v_shard     int;
  v_shards    int;
  v_chain     int;
  v_seq       bigint;
  v_jseq      bigint;
  v_prev      text;
  v_hash      text;
  v_jhash     text;
  v_us_event  text;
  v_us_now    text;
BEGIN
  IF v_reverses IS NOT NULL AND cmd->>'decision' = 'ALLOW' THEN
    SELECT jr.command_type, jr.command_id INTO r FROM ledger.journal jr
    WHERE jr.reverses = v_reverses AND jr.decision = 'ALLOW';
    IF FOUND THEN
      RAISE EXCEPTION 'ledger refused: % is already reversed', v_reverses USING ERRCODE = 'LDG01',
        DETAIL = json_build_object('code', 'ALREADY_REVERSED', 'reverses', v_reverses,
                                   'reversedBy', r.command_type || ':' || r.command_id)::text;
    END IF;
    PERFORM 1 FROM ledger.journal jr
    WHERE jr.command_type = split_part(v_reverses, ':', 1)
      AND jr.command_id = substr(v_reverses, length(split_part(v_reverses, ':', 1)) + 2)
      AND jr.decision = 'ALLOW';
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no ALLOW command % to reverse', v_reverses USING ERRCODE = 'foreign_key_violation';
    END IF;
  END IF;

  IF n > 0 THEN
    IF cmd->>'decision' <> 'ALLOW' THEN
      RAISE EXCEPTION 'a DENY moves no money' USING ERRCODE = 'check_violation';
    END IF;
    FOR i IN 1 .. n LOOP
      l_from[i] := legs->(i - 1)->>'from';
      l_to[i] := legs->(i - 1)->>'to';
      l_amount[i] := (legs->(i - 1)->>'amount')::bigint;
      IF l_amount[i] IS NULL OR l_amount[i] <= 0 THEN
        RAISE EXCEPTION 'leg % amount must be > 0 fen', i - 1 USING ERRCODE = 'check_violation';
      END IF;
      IF l_from[i] IS NULL OR l_to[i] IS NULL OR l_from[i] = l_to[i] THEN
        RAISE EXCEPTION 'leg % must move money between two different accounts', i - 1 USING ERRCODE = 'check_violation';
      END IF;
      FOR side IN 0 .. 1 LOOP
        IF side = 0 THEN v_code := l_from[i]; amt := -l_amount[i]; ELSE v_code := l_to[i]; amt := l_amount[i]; END IF;
        k := array_position(a_code, v_code);
        IF k IS NULL THEN
          -- Insert in code order (a handful of accounts: insertion beats a sort query).
          k := 1;
          WHILE k <= cardinality(a_code) AND a_code[k] < v_code LOOP k := k + 1; END LOOP;
          a_code := a_code[1:k - 1] || v_code || a_code[k:];
          a_delta := a_delta[1:k - 1] || 0::bigint || a_delta[k:];
          a_count := a_count[1:k - 1] || 0 || a_count[k:];
        END IF;
        a_delta[k] := a_delta[k] + amt;
        a_count[k] := a_count[k] + 1;
      END LOOP;
    END LOOP;

    b_shard := array_fill(NULL::int, ARRAY[cardinality(a_code)]);
    b_balance := array_fill(NULL::bigint, ARRAY[cardinality(a_code)]);
    b_version := array_fill(NULL::bigint, ARRAY[cardinality(a_code)]);
    a_rule := array_fill(NULL::text, ARRAY[cardinality(a_code)]);
    a_region := array_fill(NULL::text, ARRAY[cardinality(a_code)]);
    -- Single-shard accounts, all in one statement. The sub-select locks their rows (waiting if need
    -- be) in code order whatever join the planner picks (LockRows runs above the sort): one global
    -- order, so no deadlock between transfers.
    FOR r IN
      UPDATE ledger.balances b SET balance = b.balance + u.delta, version = b.version + u.cnt
      FROM (SELECT x.account_code FROM ledger.balances x
            WHERE x.account_code = ANY (a_code) AND x.shard = 0 AND x.shards = 1
            ORDER BY x.account_code FOR UPDATE) l,
           unnest(a_code, a_delta, a_count) WITH ORDINALITY AS u(code, delta, cnt, k)
      WHERE l.account_code = u.code AND b.account_code = l.account_code AND b.shard = 0
      RETURNING u.k, b.shard, b.balance, b.version, b.balance_rule, b.region
    LOOP
      k := r.k;
      b_shard[k] := r.shard; b_balance[k] := r.balance; b_version[k] := r.version;
      a_rule[k] := r.balance_rule; a_region[k] := r.region;
    END LOOP;
    -- Sharded accounts: a shard is claimed with a transaction advisory lock (a try costs no row
    -- lock, no WAL): the session's own shard first, then any other, and if every shard is busy the
    -- one the command id picks, waiting. Holders of a shard never wait for a single-shard row
    -- afterwards, so this cannot close a wait cycle.
    FOR k IN 1 .. cardinality(a_code) LOOP
      CONTINUE WHEN b_shard[k] IS NOT NULL;
      v_key := hashtext(a_code[k]);
      v_shard := pg_backend_pid() % 16;
      r := NULL;
      IF pg_try_advisory_xact_lock(v_key, v_shard) THEN
        UPDATE ledger.balances b SET balance = b.balance + a_delta[k], version = b.version + a_count[k]
        WHERE b.account_code = a_code[k] AND b.shard = v_shard
        RETURNING b.shard, b.balance, b.version, b.balance_rule, b.region INTO r;
      END IF;
      IF r IS NULL THEN
        SELECT a.shards INTO v_shards FROM ledger.accounts a WHERE a.code = a_code[k];
        IF NOT FOUND THEN
          RAISE EXCEPTION 'ledger account % does not exist', a_code[k] USING ERRCODE = 'foreign_key_violation';
        END IF;
        v_shard := NULL;
        FOR i IN 1 .. v_shards LOOP
          IF pg_try_advisory_xact_lock(v_key, (pg_backend_pid() + i) % v_shards) THEN
            v_shard := (pg_backend_pid() + i) % v_shards;
            EXIT;
          END IF;
        END LOOP;
        IF v_shard IS NULL THEN
          v_shard := abs(hashtext(v_id)) % v_shards;
          PERFORM pg_advisory_xact_lock(v_key, v_shard);
        END IF;
        UPDATE ledger.balances b SET balance = b.balance + a_delta[k], version = b.version + a_count[k]
        WHERE b.account_code = a_code[k] AND b.shard = v_shard
        RETURNING b.shard, b.balance, b.version, b.balance_rule, b.region INTO r;
      END IF;
      b_shard[k] := r.shard; b_balance[k] := r.balance; b_version[k] := r.version;
      a_rule[k] := r.balance_rule; a_region[k] := r.region;
    END LOOP;
    -- Walk the legs from the balance before the group.
    FOR k IN 1 .. cardinality(a_code) LOOP
      b_balance[k] := b_balance[k] - a_delta[k];
      b_version[k] := b_version[k] - a_count[k];
    END LOOP;

    FOR i IN 1 .. n LOOP
      FOR side IN 0 .. 1 LOOP
        IF side = 0 THEN v_code := l_from[i]; amt := -l_amount[i]; ELSE v_code := l_to[i]; amt := l_amount[i]; END IF;
        k := array_position(a_code, v_code);
        e_leg := e_leg || (i - 1);
        e_code := e_code || v_code;
        e_shard := e_shard || b_shard[k];
        e_amount := e_amount || amt;
        e_before := e_before || b_balance[k];
        b_balance[k] := b_balance[k] + amt;
        b_version[k] := b_version[k] + 1;
        e_after := e_after || b_balance[k];
        e_version := e_version || b_version[k];
        IF b_balance[k] < 0 AND a_rule[k] = 'NON_NEGATIVE' THEN
          RAISE EXCEPTION 'ledger refused: % would go negative', v_code USING ERRCODE = 'LDG01',
            DETAIL = json_build_object('code', 'INSUFFICIENT_BALANCE', 'account', v_code,
                                       'balance', b_balance[k] - amt, 'required', l_amount[i])::text;
        END IF;
      END LOOP;
    END LOOP;
  END IF;

  -- A chain is claimed the same way: the session's own, else any free one, else wait for one. The
  -- head is then read afresh (read committed: the previous holder committed before it let go), and
  -- the primary key (chain, seq) would refuse a fork if it were not.
  v_chain := NULL;
  FOR i IN 0 .. ${CHAIN_COUNT - 1} LOOP
    IF pg_try_advisory_xact_lock(${CHAIN_LOCK_KEY}, (pg_backend_pid() + i) % ${CHAIN_COUNT}) THEN
      v_chain := (pg_backend_pid() + i) % ${CHAIN_COUNT};
      EXIT;
    END IF;
  END LOOP;
  IF v_chain IS NULL THEN
    v_chain := abs(hashtext(v_id)) % ${CHAIN_COUNT};
    PERFORM pg_advisory_xact_lock(${CHAIN_LOCK_KEY}, v_chain);
  END IF;
  SELECT h.seq, h.hash INTO v_seq, v_prev FROM ledger.chain_heads h WHERE h.chain = v_chain;

  -- The commit time is read once every lock is held, so it never goes back on a chain or a shard.
  v_now := date_trunc('milliseconds', clock_timestamp());

  -- Regions of the touched accounts and those the command names, in code order.
  FOREACH g IN ARRAY ARRAY['11', '12', '13'] LOOP
    IF g = ANY (a_region) OR coalesce(cmd->'regions' ? g, false) THEN v_regions := v_regions || g; END IF;
  END LOOP;

  v_us_event := ledger.us(v_event);
  v_us_now := ledger.us(v_now);
  v_jseq := v_seq + 1;
  v_jhash := ledger.sha(concat_ws('|', 'J', v_chain, v_jseq,
    ledger.hf(v_type), ledger.hf(v_id), ledger.hf(cmd->>'context'),
    ledger.hf(cmd->>'terminalId'), ledger.hf(cmd->>'actor'), ledger.hf(cmd->>'decision'),
    ledger.hf(cmd->>'reasonCode'), ledger.hf(cmd->>'ruleSetId'), ledger.hf(cmd->>'ruleVersion'),
    ledger.hf(cmd->>'payloadHash'), ledger.hf(cmd->>'subject'), ledger.hf(v_reverses),
    ledger.hf(array_to_string(v_regions, ',')), n, v_us_event, v_us_now, v_prev));
  v_hash := v_jhash;
  v_seq := v_jseq;
  FOR j IN 1 .. coalesce(cardinality(e_code), 0) LOOP
    v_seq := v_seq + 1;
    e_seq := e_seq || v_seq;
    e_prev := e_prev || v_hash;
    v_hash := ledger.sha(concat_ws('|', 'E', v_chain, v_seq, ledger.hf(v_type), ledger.hf(v_id),
      e_leg[j], ledger.hf(e_code[j]), e_shard[j], e_amount[j], e_before[j], e_after[j],
      e_version[j], v_us_event, v_us_now, v_hash));
    e_hash := e_hash || v_hash;
  END LOOP;

  -- All appends in one statement.
  WITH journaled AS (
    INSERT INTO ledger.journal (chain, seq, command_type, command_id, context, terminal_id, actor, decision,
      reason_code, rule_set_id, rule_version, payload_hash, subject, reverses, regions, legs, event_time,
      committed_at, http_status, response, details, prev_hash, hash)
    VALUES (v_chain, v_jseq, v_type, v_id, cmd->>'context', cmd->>'terminalId', cmd->>'actor',
      cmd->>'decision', cmd->>'reasonCode', cmd->>'ruleSetId', (cmd->>'ruleVersion')::int, cmd->>'payloadHash',
      cmd->>'subject', v_reverses, v_regions, n, v_event, v_now, (cmd->>'httpStatus')::smallint,
      p_response, cmd->'details', v_prev, v_jhash)
  ), posted AS (
    INSERT INTO ledger.entries (chain, seq, command_type, command_id, leg, account_code, shard, amount,
      balance_before, balance_after, account_version, event_time, committed_at, prev_hash, hash)
    SELECT v_chain, u.seq, v_type, v_id, u.leg, u.code, u.shard, u.amount, u.before, u.after, u.version,
      v_event, v_now, u.prev, u.hash
    FROM unnest(e_seq, e_leg, e_code, e_shard, e_amount, e_before, e_after, e_version, e_prev, e_hash)
      AS u(seq, leg, code, shard, amount, before, after, version, prev, hash)
  )
  UPDATE ledger.chain_heads SET seq = v_seq, hash = v_hash, updated_at = v_now WHERE chain = v_chain;

  RETURN jsonb_build_object('chain', v_chain, 'seq', v_jseq, 'lastSeq', v_seq, 'hash', v_hash,
    'committedAt', v_now, 'regions', to_jsonb(v_regions));
END
$fn$;
`;
