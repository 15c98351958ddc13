import { Injectable } from '@nestjs/common';
import { sha256Hex } from '@onecard/kernel';
import { randomBytes } from 'node:crypto';
import type { Sql } from './cards.repository.js';

/** Kept a day past expiry so a late scan reads "expired", then pruned. */
const KEEP_AFTER_EXPIRY_MS = 86_400_000;

@Injectable()
export class MedicalCodesRepository {
  /** 120 random bits, URL-safe: unguessable within a 60 s life. */
  newCode(): string {
    return randomBytes(15).toString('base64url');
  }

  digest(code: string): string {
    return sha256Hex(`onecard-medical-code|${code}`);
  }

  async insert(code: string, cardNo: string, issuedAt: Date, expiresAt: Date, sql: Sql): Promise<void> {
    await sql.query(`INSERT INTO cards.medical_codes (code_hash, card_no, issued_at, expires_at) VALUES ($1, $2, $3, $4)`, [
      this.digest(code),
      cardNo,
      issuedAt,
      expiresAt,
    ]);
    // Bounded housekeeping on the way: a few long-expired codes per issue.
    await sql.query(`DELETE FROM cards.medical_codes WHERE code_hash IN (SELECT code_hash FROM cards.medical_codes WHERE expires_at < $1 LIMIT 50)`, [
      new Date(issuedAt.getTime() - KEEP_AFTER_EXPIRY_MS),
    ]);
  }

  /** Marks the code used if it is unused and unexpired at `now`; answers its card, or null. */
  async consume(code: string, now: Date, usedBy: string, sql: Sql): Promise<string | null> {
    // A CTE, so that any Sql (DataSource or CommandTx) answers rows, not TypeORM's [rows, count] for UPDATE.
    const rows = await sql.query(
      `WITH u AS (UPDATE cards.medical_codes SET used_at = $2, used_by = $3 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING card_no)
       SELECT card_no FROM u`,
      [this.digest(code), now, usedBy],
    );
    return rows[0]?.card_no ?? null;
  }

  async find(code: string, sql: Sql): Promise<{ cardNo: string; usedAt: Date | null; expiresAt: Date } | null> {
    const rows = await sql.query(`SELECT card_no, used_at, expires_at FROM cards.medical_codes WHERE code_hash = $1`, [this.digest(code)]);
    return rows[0] ? { cardNo: rows[0].card_no, usedAt: rows[0].used_at, expiresAt: rows[0].expires_at } : null;
  }
}
