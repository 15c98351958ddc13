import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, maskNationalId, newId, sumFen, type Clock, type Fen } from '@onecard/kernel';
import { CommandExecutor } from '@onecard/engine';
import { openAccountsSql, type AccountSpec, type Leg } from '@onecard/ledger';
import { DataSource } from 'typeorm';
import { cardAccountCodes, cardAccountSpecs } from '../domain/card-accounts.js';
import { formatCardNo, identificationCode } from '../domain/card-number.js';
import { transitAppProblem } from '../domain/card-product.rule.js';
import type { CardStatus } from '../domain/card-status.js';
import { nationalIdProblem, normalizeNationalId } from '../domain/national-id.js';
import { CARDS_COMMANDS } from '../domain/cards-commands.js';
import { topUpSource, topUpTarget, type TopUpAccount } from '../domain/top-up.rule.js';
import type { HolderInput } from '../application/issue-card/issue-card.command.js';
import type { CardGeneration } from '../domain/card-product.rule.js';
import type { Region } from '@onecard/kernel';
import { PiiHasher } from '../infrastructure/pii-hasher.js';

export interface BulkCard {
  holder: HolderInput;
  issuingRegion: Region;
  generation: CardGeneration;
  transitApp: boolean;
  status: CardStatus;
}

export interface BulkFunding {
  cardNo: string;
  account: TopUpAccount;
  amountFen: Fen;
}

interface IssuedCard {
  cardNo: string;
  issuingRegion: Region;
  homeRegion: Region;
  transitApp: boolean;
  scheme: HolderInput['scheme'];
}

/**
 * Demo and load-test data (the seed, `npm run seed -- --cards N`): many holders, cards and their
 * ledger accounts in one transaction per call, with unnest() instead of one command per card.
 * Card issuance here is not journaled (it moves no money); funding is, as one journaled command per
 * batch, so balances always equal the sum of ledger entries.
 */
@Injectable()
export class CardBulkLoader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: CommandExecutor,
    private readonly pii: PiiHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The numbers of the cards issued so far, oldest first (the seed binds a holder app to each). */
  async cardNumbers(limit = 100_000): Promise<string[]> {
    const rows = await this.dataSource.query(`SELECT card_no FROM cards.cards ORDER BY issued_at, card_no LIMIT $1`, [limit]);
    return rows.map((r: { card_no: string }) => r.card_no);
  }

  /**
   * Issues the cards whose holder (by national ID) is new; answers each card number in input
   * order, or null where that person already existed.
   */
  async issue(cards: readonly BulkCard[]): Promise<(string | null)[]> {
    const at = this.clock.now();
    const rows = cards.map((c, i) => {
      const problem = nationalIdProblem(c.holder.nationalId, c.holder.birthDate) ?? (c.transitApp ? transitAppProblem(c.issuingRegion, c.generation) : null);
      if (problem) throw new Error(`bulk card ${i}: ${problem}`);
      const nationalId = normalizeNationalId(c.holder.nationalId);
      return { ...c, holderId: newId(), nationalIdHash: this.pii.hash(`national-id|${nationalId}`), nationalIdMasked: maskNationalId(nationalId) };
    });
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const inserted: { national_id_hash: string }[] = await runner.query(
        `INSERT INTO cards.holders (holder_id, name, national_id_hash, national_id_masked, birth_date, home_region, scheme, retiree, created_at, updated_at)
         SELECT id, name, hash, masked, born, home, scheme, retiree, $9, $9
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[], $8::boolean[])
           AS t(id, name, hash, masked, born, home, scheme, retiree)
         ON CONFLICT (national_id_hash) DO NOTHING
         RETURNING national_id_hash`,
        [
          rows.map((r) => r.holderId),
          rows.map((r) => r.holder.name),
          rows.map((r) => r.nationalIdHash),
          rows.map((r) => r.nationalIdMasked),
          rows.map((r) => r.holder.birthDate),
          rows.map((r) => r.holder.homeRegion),
          rows.map((r) => r.holder.scheme),
          rows.map((r) => r.holder.retiree),
          at,
        ],
      );
      const fresh = new Set(inserted.map((r) => r.national_id_hash));
      // A person listed twice in one call gets one card: the first.
      const chosen = rows.filter((r) => fresh.delete(r.nationalIdHash));
      const serials = new Map<Region, number[]>();
      for (const region of ['11', '12', '13'] as const) {
        const n = chosen.filter((r) => r.issuingRegion === region).length;
        if (n === 0) continue;
        const s: { serial: number }[] = await runner.query(`SELECT nextval('cards.card_serial_${region}')::int AS serial FROM generate_series(1, $1)`, [n]);
        serials.set(
          region,
          s.map((x) => x.serial),
        );
      }
      const cardNoOf = new Map<object, string>();
      for (const r of chosen) cardNoOf.set(r, formatCardNo(r.issuingRegion, serials.get(r.issuingRegion)!.shift()!));
      const list = chosen.map((r) => ({ ...r, cardNo: cardNoOf.get(r)! }));
      if (list.length > 0) {
        await runner.query(
          `INSERT INTO cards.cards (card_no, identification_code, holder_id, issuing_region, generation, transit_app, status, issued_at, status_changed_at)
           SELECT no, code, holder, region, gen, transit, status, $8, $8
           FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::smallint[], $6::boolean[], $7::text[])
             AS t(no, code, holder, region, gen, transit, status)`,
          [
            list.map((r) => r.cardNo),
            list.map((r) => identificationCode(r.issuingRegion, r.cardNo)),
            list.map((r) => r.holderId),
            list.map((r) => r.issuingRegion),
            list.map((r) => r.generation),
            list.map((r) => r.transitApp),
            list.map((r) => r.status),
            at,
          ],
        );
        const specs: AccountSpec[] = list.flatMap((r) =>
          cardAccountSpecs({
            cardNo: r.cardNo,
            issuingRegion: r.issuingRegion,
            transitApp: r.transitApp,
            scheme: r.holder.scheme,
            homeRegion: r.holder.homeRegion,
          }),
        );
        const { sql, params } = openAccountsSql(specs);
        await runner.query(sql, params);
      }
      await runner.commitTransaction();
      return rows.map((r) => cardNoOf.get(r) ?? null);
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Funds cards as one journaled command (`cards.bulk-top-up`, id `commandId`, idempotent like any
   * command). Top-up limits and card status are not checked: callers choose amounts within them.
   */
  async fund(commandId: string, fundings: readonly BulkFunding[]): Promise<{ legs: number; totalFen: Fen }> {
    const cards = await this.cardFacts([...new Set(fundings.map((f) => f.cardNo))]);
    const legs: Leg[] = [];
    const sources = new Map<string, AccountSpec>();
    for (const f of fundings) {
      const card = cards.get(f.cardNo);
      if (!card) throw new Error(`no card ${f.cardNo}`);
      const target = topUpTarget(cardAccountCodes(card), f.account);
      if ('refusal' in target) throw new Error(`card ${f.cardNo}: ${target.refusal.message}`);
      const source = topUpSource(f.account, card);
      sources.set(source.code, source);
      if (f.amountFen > 0) legs.push({ from: source.code, to: target.code, amount: f.amountFen });
    }
    const totalFen = sumFen(legs.map((l) => l.amount));
    await this.executor.run({
      envelope: { type: CARDS_COMMANDS.bulkTopUp, id: commandId, context: 'cards', actor: 'seed', payload: { legs } },
      decide: (_, tx) => {
        tx.ledger.openAccounts([...sources.values()]);
        return {
          decision: 'ALLOW',
          response: { legs: legs.length, totalFen },
          transfers: legs,
          details: { input: { legs: legs.length, totalFen }, facts: {}, outcome: { funded: legs.length }, rule: 'cards.bulk-top-up' },
        };
      },
    });
    return { legs: legs.length, totalFen };
  }

  private async cardFacts(cardNos: readonly string[]): Promise<Map<string, IssuedCard>> {
    const rows: { card_no: string; issuing_region: Region; home_region: Region; transit_app: boolean; scheme: IssuedCard['scheme'] }[] =
      await this.dataSource.query(
        `SELECT c.card_no, c.issuing_region, h.home_region, c.transit_app, h.scheme FROM cards.cards c JOIN cards.holders h USING (holder_id) WHERE c.card_no = ANY($1)`,
        [cardNos],
      );
    return new Map(
      rows.map((r) => [
        r.card_no,
        { cardNo: r.card_no, issuingRegion: r.issuing_region, homeRegion: r.home_region, transitApp: r.transit_app, scheme: r.scheme },
      ]),
    );
  }
}
