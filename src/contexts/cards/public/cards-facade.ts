import { Injectable } from '@nestjs/common';
import { read, type CommandOutcome, type Read } from '@onecard/engine';
import type { DecisionDetails, Reason, Region, RuleRef } from '@onecard/kernel';
import { cardAccountCodes, type CardAccountCodes, type Scheme } from '../domain/card-accounts.js';
import { cardStatusRefusal } from '../domain/card-status-refusal.rule.js';
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

/** A card as `cards.card_facts` answers it, as other contexts see it. */
function toCardViewFromFacts(r: Record<string, any>): CardView {
  const holder = { holderId: r.holder_id, birthDate: r.birth_date, homeRegion: r.home_region as Region, scheme: r.scheme as Scheme, retiree: r.retiree };
  return {
    cardNo: r.card_no,
    issuingRegion: r.issuing_region,
    generation: Number(r.generation) as CardGeneration,
    status: r.status,
    transitApp: r.transit_app,
    holder,
    accounts: cardAccountCodes({ cardNo: r.card_no, transitApp: r.transit_app, scheme: holder.scheme }),
  };
}

/**
 * The names other contexts' SQL may use of the cards schema (functions of migration
 * CardReads1796010100000; ADR 0012): interpolate them, never name a cards table.
 */
export const CARDS_SQL = {
  /** `cards.card_facts(card_no)`: the card and its holder's non-personal attributes (no row: no card). */
  cardFacts: 'cards.card_facts',
  /** `cards.card_of_used_code(code_hash, used_by)`: the card a 医保码 was used for by that user, or NULL. */
  cardOfUsedCode: 'cards.card_of_used_code',
} as const;

/**
 * The cards context as the other contexts use it: reads to declare in a command's plan (the card,
 * a 医保码 used), and look-ups for query handlers. A read is one primary-key look-up (no cache): a
 * loss report is seen by the very next tap on every instance.
 */
@Injectable()
export class CardsFacade {
  constructor(
    private readonly cards: CardsRepository,
    private readonly codes: MedicalCodesRepository,
  ) {}

  /** The card (null if no card has this number), as a read to declare in a command's plan. */
  cardRead(cardNo: string): Read<CardView | null> {
    return read(`SELECT * FROM cards.card_facts($1::text)`, [cardNo], (rows) => (rows[0] ? toCardViewFromFacts(rows[0]) : null));
  }

  /**
   * Uses a 医保码, as a read to declare in a command's plan: marks it used at `now` (the command's
   * clock reading, taken before it starts) by `usedBy` if it is unused and unexpired, and answers its
   * card or the reason it cannot be used. If the command's transaction rolls back, the code is
   * unused again. Check the card itself with `refuseUnusableCard` afterwards.
   */
  medicalCodeRead(code: string, now: Date, usedBy: string): Read<MedicalCodeConsumption> {
    return read(
      `SELECT * FROM cards.use_medical_code($1::text, $2::timestamptz, $3::text)`,
      [this.codes.digest(code), now, usedBy],
      ([r]): MedicalCodeConsumption => {
        if (r?.card_no) return { ok: true, card: toCardViewFromFacts(r) };
        const found = r ? { usedAt: r.code_used_at, expiresAt: r.code_expires_at } : null;
        const refusal = medicalCodeRefusal(found, now) ?? 'MEDICAL_CODE_USED';
        return { ok: false, reason: { code: refusal, message: MedicalCodeReasons[refusal] } };
      },
    );
  }

  /** The digest under which a 医保码 is stored (the parameter of `CARDS_SQL.cardOfUsedCode`). */
  medicalCodeDigest(code: string): string {
    return this.codes.digest(code);
  }

  /** The card, or null if no card has this number (query handlers; commands declare `cardRead`). */
  async findCard(cardNo: string, sql?: Sql): Promise<CardView | null> {
    const card = await this.cards.findCard(cardNo, sql);
    return card ? toCardView(card) : null;
  }

  /**
   * Checks a 医保码 without using it (a pre-settlement, 试算): its card if it could be used at `now`,
   * or the reason it could not. Writes nothing. `sql`: the DataSource.
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

/**
 * The DENY every context answers for a card it may not use (unknown, not active, lost, locked,
 * cancelled, replaced), or null for an ACTIVE card: the opening step of every card command. The
 * context gives its own answer shape and decision details for the reason.
 */
export function refuseUnusableCard<R>(
  card: { status: CardStatus } | null,
  deny: {
    subject: string;
    answer: (reason: Reason) => R;
    details: (reason: Reason) => DecisionDetails;
    regions?: Region[];
    ruleSet?: RuleRef | null;
  },
): CommandOutcome<R> | null {
  const reason = cardStatusRefusal(card);
  if (!reason) return null;
  return {
    decision: 'DENY',
    reason,
    ruleSet: deny.ruleSet ?? null,
    subject: deny.subject,
    regions: deny.regions ?? [],
    response: deny.answer(reason),
    details: deny.details(reason),
  };
}
