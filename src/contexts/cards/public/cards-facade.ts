import { Injectable } from '@nestjs/common';
import type { Reason, Region } from '@onecard/kernel';
import { prefetch, type CommandTx, type Prefetch } from '@onecard/ledger';
import type { CardAccountCodes, Scheme } from '../domain/card-accounts.js';
import type { CardGeneration } from '../domain/card-product.rule.js';
import type { CardStatus } from '../domain/card-status.js';
import { MedicalCodeReasons, medicalCodeRefusal, type MedicalCodeReasonCode } from '../domain/medical-code.js';
import { CardsRepository, type CardRow, type Sql } from '../infrastructure/cards.repository.js';
import { MedicalCodesRepository } from '../infrastructure/medical-codes.repository.js';

/** What other contexts know of a card: no name, no national ID. */
export interface CardView {
  cardNo: string;
  issuingRegion: Region;
  generation: CardGeneration;
  status: CardStatus;
  transitApp: boolean;
  holder: { holderId: string; birthDate: string; homeRegion: Region; scheme: Scheme; retiree: boolean };
  accounts: CardAccountCodes;
}

export type MedicalCodeConsumption = { ok: true; card: CardView } | { ok: false; reason: Reason<MedicalCodeReasonCode> };

export function toCardView(card: CardRow): CardView {
  const h = card.holder;
  return {
    cardNo: card.cardNo,
    issuingRegion: card.issuingRegion,
    generation: card.generation,
    status: card.status,
    transitApp: card.transitApp,
    holder: { holderId: h.holderId, birthDate: h.birthDate, homeRegion: h.homeRegion, scheme: h.scheme, retiree: h.retiree },
    accounts: card.accounts,
  };
}

/**
 * The cards context as transit, medical and culture use it, inside their own command transactions.
 * `findCard` is one primary-key query (no cache): a loss report is seen by the very next tap on
 * every instance.
 */
@Injectable()
export class CardsFacade {
  constructor(
    private readonly cards: CardsRepository,
    private readonly codes: MedicalCodesRepository,
  ) {}

  /** The card, or null if no card has this number. Pass the command's `tx` to read inside it. */
  async findCard(cardNo: string, tx?: Sql): Promise<CardView | null> {
    const card = await this.cards.findCard(cardNo, tx);
    return card ? toCardView(card) : null;
  }

  /**
   * `findCard` as a read to declare to the executor (`execute(…, { prefetch: [q] })`): it travels
   * with BEGIN, and `tx.prefetched(q)` answers it, so a tap spends no round trip on the card.
   */
  findCardQuery(cardNo: string): Prefetch<CardView | null> {
    const s = this.cards.findCardStatement(cardNo);
    return prefetch(s.sql, s.params, (rows) => {
      const card = s.map(rows);
      return card ? toCardView(card) : null;
    });
  }

  /**
   * Uses a 医保码 inside the caller's command transaction: marks it used (at `tx.now`) and answers
   * its card, or the reason it cannot be used. If the caller's transaction rolls back, the code is
   * unused again. Check the card itself with `cardStatusRefusal` afterwards.
   */
  async consumeMedicalCode(code: string, tx: CommandTx, usedBy: string): Promise<MedicalCodeConsumption> {
    const cardNo = await this.codes.consume(code, tx.now, usedBy, tx);
    if (cardNo) return { ok: true, card: (await this.findCard(cardNo, tx))! };
    const refusal = medicalCodeRefusal(await this.codes.find(code, tx), tx.now) ?? 'MEDICAL_CODE_USED';
    return { ok: false, reason: { code: refusal, message: MedicalCodeReasons[refusal] } };
  }

  /**
   * `consumeMedicalCode` as a read to declare to the executor (one statement, so it travels with
   * BEGIN): uses the code at `now` (the command's clock reading, taken before it starts) and answers
   * its card or the reason it cannot be used, as `consumeMedicalCode` would.
   */
  consumeMedicalCodeQuery(code: string, now: Date, usedBy: string): Prefetch<MedicalCodeConsumption> {
    const s = this.cards.consumeCodeStatement(this.codes.digest(code), now, usedBy);
    return prefetch(s.sql, s.params, (rows): MedicalCodeConsumption => {
      const { code: found, card } = s.map(rows);
      if (card) return { ok: true, card: toCardView(card) };
      const refusal = medicalCodeRefusal(found, now) ?? 'MEDICAL_CODE_USED';
      return { ok: false, reason: { code: refusal, message: MedicalCodeReasons[refusal] } };
    });
  }

  /**
   * For reads another context declares after `findCardQuery(cardNo)` or `consumeMedicalCodeQuery(…,
   * usedBy)` in the same command, when it needs the card's holder before it has the card: scalar SQL
   * subqueries naming the holder and the card's personal account (as `cardAccountCodes` names it),
   * NULL if there is no such card or the code was not used by `usedBy`. Parameters from `$from`.
   */
  credentialCardSql(
    credential: { cardNo: string } | { medicalCode: string; usedBy: string },
    from: number,
  ): { holderId: string; personalAccount: string; params: unknown[] } {
    const [cardNo, params] =
      'cardNo' in credential
        ? [`(SELECT card_no FROM cards.cards WHERE card_no = $${from}::text)`, [credential.cardNo]]
        : [
            `(SELECT card_no FROM cards.medical_codes WHERE code_hash = $${from}::text AND used_by = $${from + 1}::text)`,
            [this.codes.digest(credential.medicalCode), credential.usedBy],
          ];
    return { holderId: `(SELECT holder_id FROM cards.cards WHERE card_no = ${cardNo})`, personalAccount: `'card:' || ${cardNo} || ':personal'`, params };
  }

  /**
   * Checks a 医保码 without using it (a pre-settlement, 试算): its card if it could be used at `now`,
   * or the reason it could not. Writes nothing. `sql`: the DataSource or the caller's transaction.
   */
  async checkMedicalCode(code: string, now: Date, sql: Sql): Promise<MedicalCodeConsumption> {
    const found = await this.codes.find(code, sql);
    const refusal = medicalCodeRefusal(found, now);
    if (refusal || !found)
      return { ok: false, reason: { code: refusal ?? 'MEDICAL_CODE_UNKNOWN', message: MedicalCodeReasons[refusal ?? 'MEDICAL_CODE_UNKNOWN'] } };
    const card = await this.findCard(found.cardNo, sql);
    return card ? { ok: true, card } : { ok: false, reason: { code: 'MEDICAL_CODE_UNKNOWN', message: MedicalCodeReasons.MEDICAL_CODE_UNKNOWN } };
  }
}
