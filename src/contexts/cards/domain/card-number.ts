import { CARD_NO_PATTERN, sha256Hex, type Region } from '@onecard/kernel';

/**
 * Card number (卡号, 9 characters): the issuing region's letter (B Beijing, T Tianjin, H Hebei),
 * a 7-digit serial from that region's sequence, and a Luhn check digit over the serial, so a
 * mistyped number is caught at the counter. Serial 1 in Tianjin is `T00000018`.
 */
export const REGION_LETTERS: Record<Region, string> = { '11': 'B', '12': 'T', '13': 'H' };
export { CARD_NO_PATTERN };
export const MAX_CARD_SERIAL = 9_999_999;

export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit from the right, counting the (absent) check digit as the first.
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function formatCardNo(region: Region, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_CARD_SERIAL) throw new Error(`card serial out of range: ${serial}`);
  const digits = String(serial).padStart(7, '0');
  return `${REGION_LETTERS[region]}${digits}${luhnCheckDigit(digits)}`;
}

/** Well-formed and the check digit matches. */
export function isValidCardNo(cardNo: string): boolean {
  return CARD_NO_PATTERN.test(cardNo) && luhnCheckDigit(cardNo.slice(1, 8)) === Number(cardNo[8]);
}

/**
 * Card identification code (识别码, 32 characters): the issuing region's 6-digit code, the fixed
 * `D156000005` (D + ISO country 156 + issuer id), and 16 hex digits that stand in for the chip's
 * serial: derived from the card number, so they are unique and reproducible.
 */
export const IDENTIFICATION_CODE_PATTERN = /^\d{6}D156000005[0-9A-F]{16}$/;

export function identificationCode(region: Region, cardNo: string): string {
  return `${region}0000D156000005${sha256Hex(`onecard-card-chip|${cardNo}`).slice(0, 16).toUpperCase()}`;
}
