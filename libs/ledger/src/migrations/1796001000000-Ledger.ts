import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger schema (ADR 0003, 0004): accounts with sharded balances, the command journal and
 * double-entry entries, both hash-chained on CHAIN_COUNT independent chains, append-only by
 * trigger and by privilege, and the one function that commits a command.
 */
export const CHAIN_COUNT = 16;
const APP_ROLE = 'onecard_app';

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

    // The mutable projection: one row per account shard. Hot accounts (rail revenue, funds) are
    // spread over shards so concurrent transfers do not queue on one row lock (ADR 0003).
    await q.query(`
      CREATE TABLE ledger.balances (
        account_code  text   NOT NULL REFERENCES ledger.accounts (code),
        shard         int    NOT NULL CHECK (shard >= 0),
        balance       bigint NOT NULL DEFAULT 0,
        version       bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (account_code, shard)
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
        command_type  text   NOT NULL CHECK (command_type ~ '^[a-z]+(\\.[a-z-]+)+$'),
        command_id    text   NOT NULL CHECK (command_id ~ '^[A-Za-z0-9_:.-]{1,128}$'),
        context       text   NOT NULL,
        terminal_id   text,
        actor         text,
        decision      text   NOT NULL CHECK (decision IN ('ALLOW', 'DENY')),
        reason_code   text   CHECK (reason_code ~ '^[A-Z][A-Z0-9_]*$'),
        rule_set_id   text,
        rule_version  int,
        payload_hash  text   NOT NULL CHECK (payload_hash ~ '^[0-9a-f]{64}$'),
        subject       text,
        reverses      text,
        regions       text[] NOT NULL DEFAULT '{}',
        event_time    timestamptz NOT NULL,
        committed_at  timestamptz NOT NULL,
        http_status   smallint NOT NULL,
        response      json   NOT NULL, -- json, not jsonb: a replay returns the original bytes
        details       jsonb,
        prev_hash     text   NOT NULL,
        hash          text   NOT NULL,
        PRIMARY KEY (chain, seq),
        CONSTRAINT journal_command_key UNIQUE (command_type, command_id),
        CHECK ((decision = 'DENY') = (reason_code IS NOT NULL))
      )`);
    // A group is reversed at most once: a second reversal fails on this index.
    await q.query(`CREATE UNIQUE INDEX journal_reverses_once ON ledger.journal (reverses) WHERE reverses IS NOT NULL`);
    await q.query(`CREATE INDEX journal_subject ON ledger.journal (subject, committed_at) WHERE subject IS NOT NULL`);
    await q.query(`CREATE INDEX journal_context_time ON ledger.journal (context, event_time)`);

    await q.query(`
      CREATE TABLE ledger.entries (
        chain            int    NOT NULL,
        seq              bigint NOT NULL,
        command_type     text   NOT NULL,
        command_id       text   NOT NULL,
        leg              int    NOT NULL CHECK (leg >= 0),
        account_code     text   NOT NULL REFERENCES ledger.accounts (code),
        shard            int    NOT NULL,
        amount           bigint NOT NULL CHECK (amount <> 0),
        balance_before   bigint NOT NULL,
        balance_after    bigint NOT NULL,
        account_version  bigint NOT NULL CHECK (account_version > 0),
        event_time       timestamptz NOT NULL,
        committed_at     timestamptz NOT NULL,
        prev_hash        text   NOT NULL,
        hash             text   NOT NULL,
        PRIMARY KEY (chain, seq),
        FOREIGN KEY (command_type, command_id) REFERENCES ledger.journal (command_type, command_id),
        CHECK (balance_after = balance_before + amount),
        UNIQUE (account_code, shard, account_version)
      )`);
    await q.query(`CREATE INDEX entries_command ON ledger.entries (command_type, command_id)`);
    await q.query(`CREATE INDEX entries_account_time ON ledger.entries (account_code, committed_at)`);

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
    await q.query(`CREATE TRIGGER balances_no_delete BEFORE DELETE ON ledger.balances FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change()`);
    await q.query(`CREATE TRIGGER balances_no_truncate BEFORE TRUNCATE ON ledger.balances FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change()`);
    await q.query(`CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON ledger.chain_heads FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change()`);

    await q.query(HASH_FUNCTIONS);
    await q.query(COMMIT_COMMAND);

    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          GRANT USAGE ON SCHEMA ledger TO ${APP_ROLE};
          GRANT SELECT, INSERT ON ledger.accounts, ledger.journal, ledger.entries TO ${APP_ROLE};
          REVOKE UPDATE, DELETE, TRUNCATE ON ledger.accounts, ledger.journal, ledger.entries FROM ${APP_ROLE};
          GRANT SELECT, INSERT, UPDATE ON ledger.balances, ledger.chain_heads TO ${APP_ROLE};
          REVOKE DELETE, TRUNCATE ON ledger.balances, ledger.chain_heads FROM ${APP_ROLE};
          GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ledger TO ${APP_ROLE};
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
 * function in the database cannot vouch for itself.
 */
const HASH_FUNCTIONS = `
CREATE FUNCTION ledger.hf(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT replace(replace(coalesce(v, ''), '\\', '\\\\'), '|', '\\|')
$$;

CREATE FUNCTION ledger.us(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT (extract(epoch FROM t) * 1000000)::bigint::text
$$;

CREATE FUNCTION ledger.sha(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(v, 'UTF8')), 'hex')
$$;
`;

/**
 * ledger.commit_command(cmd, legs, response): the single call that ends every command transaction.
 *  1. Locks the touched balance rows in account-code order (single-shard accounts wait; sharded
 *     accounts take any free shard with SKIP LOCKED), applies the legs in order and checks each
 *     balance rule. A breach writes nothing and answers {ok:false, code:'INSUFFICIENT_BALANCE'}.
 *  2. Takes a free chain head (SKIP LOCKED), appends the journal record and one entry per leg side
 *     with gap-free sequence numbers and chained SHA-256 hashes, and moves the head.
 * The caller's transaction commits it all together with the context's own state change.
 */
const COMMIT_COMMAND = `
CREATE FUNCTION ledger.commit_command(cmd jsonb, legs jsonb, p_response json) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  codes        text[];
  acc          record;
  st           jsonb := '{}'::jsonb;   -- account code -> {shard, balance, version, rule, region}
  leg          jsonb;
  leg_no       int := 0;
  amt          bigint;
  side         text;
  v_code       text;
  s            jsonb;
  picked       record;
  entry_rows   jsonb := '[]'::jsonb;
  v_chain      int;
  v_seq        bigint;
  v_hash       text;
  v_regions    text[] := '{}';
  v_now        timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_event      timestamptz := (cmd->>'eventTime')::timestamptz;
  e            jsonb;
  rec          text;
BEGIN
  IF jsonb_array_length(legs) > 0 THEN
    SELECT array_agg(DISTINCT c ORDER BY c) INTO codes
    FROM jsonb_array_elements(legs) l, LATERAL (VALUES (l->>'from'), (l->>'to')) v(c);

    FOREACH v_code IN ARRAY codes LOOP
      SELECT a.code, a.region, a.balance_rule, a.shards INTO acc FROM ledger.accounts a WHERE a.code = v_code;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'ledger account % does not exist', v_code USING ERRCODE = 'foreign_key_violation';
      END IF;
      IF acc.shards = 1 THEN
        SELECT b.shard, b.balance, b.version INTO picked FROM ledger.balances b
        WHERE b.account_code = v_code AND b.shard = 0 FOR UPDATE;
      ELSE
        SELECT b.shard, b.balance, b.version INTO picked FROM ledger.balances b
        WHERE b.account_code = v_code ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
          SELECT b.shard, b.balance, b.version INTO picked FROM ledger.balances b
          WHERE b.account_code = v_code AND b.shard = (abs(hashtext(cmd->>'id')) % acc.shards) FOR UPDATE;
        END IF;
      END IF;
      st := st || jsonb_build_object(v_code, jsonb_build_object(
        'shard', picked.shard, 'balance', picked.balance, 'version', picked.version,
        'rule', acc.balance_rule, 'region', acc.region));
      IF acc.region IS NOT NULL AND NOT (acc.region = ANY (v_regions)) THEN
        v_regions := v_regions || acc.region;
      END IF;
    END LOOP;

    FOR leg IN SELECT value FROM jsonb_array_elements(legs) LOOP
      amt := (leg->>'amount')::bigint;
      IF amt IS NULL OR amt <= 0 THEN
        RAISE EXCEPTION 'leg % amount must be > 0 fen', leg_no USING ERRCODE = 'check_violation';
      END IF;
      IF leg->>'from' = leg->>'to' THEN
        RAISE EXCEPTION 'leg % moves money from an account to itself', leg_no USING ERRCODE = 'check_violation';
      END IF;
      FOREACH side IN ARRAY ARRAY['from', 'to'] LOOP
        v_code := leg->>side;
        s := st->v_code;
        e := jsonb_build_object(
          'leg', leg_no, 'account', v_code, 'shard', (s->>'shard')::int,
          'amount', CASE WHEN side = 'from' THEN -amt ELSE amt END,
          'before', (s->>'balance')::bigint,
          'after', (s->>'balance')::bigint + CASE WHEN side = 'from' THEN -amt ELSE amt END,
          'version', (s->>'version')::bigint + 1);
        IF s->>'rule' = 'NON_NEGATIVE' AND (e->>'after')::bigint < 0 THEN
          RETURN jsonb_build_object('ok', false, 'code', 'INSUFFICIENT_BALANCE', 'account', v_code,
            'balance', (s->>'balance')::bigint, 'required', amt);
        END IF;
        st := jsonb_set(st, ARRAY[v_code], s || jsonb_build_object('balance', e->'after', 'version', e->'version'));
        entry_rows := entry_rows || e;
      END LOOP;
      leg_no := leg_no + 1;
    END LOOP;

    UPDATE ledger.balances b
    SET balance = (st->b.account_code->>'balance')::bigint, version = (st->b.account_code->>'version')::bigint
    WHERE b.account_code = ANY (codes) AND b.shard = (st->b.account_code->>'shard')::int;
  END IF;

  -- Any free chain; if all are busy, wait on one chosen by the command id.
  SELECT h.chain, h.seq, h.hash INTO v_chain, v_seq, v_hash FROM ledger.chain_heads h
  ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    SELECT h.chain, h.seq, h.hash INTO v_chain, v_seq, v_hash FROM ledger.chain_heads h
    WHERE h.chain = abs(hashtext(cmd->>'id')) % (SELECT count(*) FROM ledger.chain_heads) FOR UPDATE;
  END IF;

  SELECT array_agg(DISTINCT r ORDER BY r) INTO v_regions
  FROM unnest(v_regions || ARRAY(SELECT jsonb_array_elements_text(coalesce(cmd->'regions', '[]'::jsonb)))) r;
  v_regions := coalesce(v_regions, '{}');

  v_seq := v_seq + 1;
  rec := concat_ws('|', 'J', v_chain, v_seq,
    ledger.hf(cmd->>'type'), ledger.hf(cmd->>'id'), ledger.hf(cmd->>'context'),
    ledger.hf(cmd->>'terminalId'), ledger.hf(cmd->>'actor'), ledger.hf(cmd->>'decision'),
    ledger.hf(cmd->>'reasonCode'), ledger.hf(cmd->>'ruleSetId'), ledger.hf(cmd->>'ruleVersion'),
    ledger.hf(cmd->>'payloadHash'), ledger.hf(cmd->>'subject'), ledger.hf(cmd->>'reverses'),
    ledger.hf(array_to_string(v_regions, ',')), ledger.us(v_event), ledger.us(v_now), v_hash);
  INSERT INTO ledger.journal (chain, seq, command_type, command_id, context, terminal_id, actor, decision,
    reason_code, rule_set_id, rule_version, payload_hash, subject, reverses, regions, event_time,
    committed_at, http_status, response, details, prev_hash, hash)
  VALUES (v_chain, v_seq, cmd->>'type', cmd->>'id', cmd->>'context', cmd->>'terminalId', cmd->>'actor',
    cmd->>'decision', cmd->>'reasonCode', cmd->>'ruleSetId', (cmd->>'ruleVersion')::int, cmd->>'payloadHash',
    cmd->>'subject', cmd->>'reverses', v_regions, v_event, v_now, (cmd->>'httpStatus')::smallint,
    p_response, cmd->'details', v_hash, ledger.sha(rec));
  v_hash := ledger.sha(rec);

  FOR e IN SELECT value FROM jsonb_array_elements(entry_rows) LOOP
    v_seq := v_seq + 1;
    rec := concat_ws('|', 'E', v_chain, v_seq, ledger.hf(cmd->>'type'), ledger.hf(cmd->>'id'),
      e->>'leg', ledger.hf(e->>'account'), e->>'shard', e->>'amount', e->>'before', e->>'after',
      e->>'version', ledger.us(v_event), ledger.us(v_now), v_hash);
    INSERT INTO ledger.entries (chain, seq, command_type, command_id, leg, account_code, shard, amount,
      balance_before, balance_after, account_version, event_time, committed_at, prev_hash, hash)
    VALUES (v_chain, v_seq, cmd->>'type', cmd->>'id', (e->>'leg')::int, e->>'account', (e->>'shard')::int,
      (e->>'amount')::bigint, (e->>'before')::bigint, (e->>'after')::bigint, (e->>'version')::bigint,
      v_event, v_now, v_hash, ledger.sha(rec));
    v_hash := ledger.sha(rec);
  END LOOP;

  UPDATE ledger.chain_heads SET seq = v_seq, hash = v_hash, updated_at = v_now WHERE chain = v_chain;

  RETURN jsonb_build_object('ok', true, 'chain', v_chain, 'seq', v_seq, 'committedAt', v_now,
    'regions', to_jsonb(v_regions), 'entries', entry_rows);
END
$fn$;
`;
