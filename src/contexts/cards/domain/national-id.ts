/**
 * The 18-character resident identity number (公民身份号码, GB 11643-1999), which is also the
 * social-security number: 6-digit administrative region, 8-digit birth date, 3-digit sequence
 * (odd for men, even for women) and a check character over the first 17 (ISO 7064 MOD 11-2).
 * It is personal data: the service keeps only a keyed hash and the masked form (ADR 0006).
 */

/** Province-level prefixes of the administrative-region code (GB/T 2260). */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

/** Weight of position i is 2^(17−i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** The check character for the first 17 digits. */
export function nationalIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('the check character is computed over 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Upper-cases a trailing x so that both spellings hash to the same holder. */
export function normalizeNationalId(id: string): string {
  return id.trim().toUpperCase();
}

/** `YYYYMMDD` from the ID as `YYYY-MM-DD`. */
export function birthDateOfNationalId(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/**
 * Why `id` is not a valid national ID (for this birth date, when given), or null. Messages never
 * repeat the ID.
 */
export function nationalIdProblem(rawId: string, birthDate?: string): string | null {
  const id = normalizeNationalId(rawId);
  if (!/^\d{17}[\dX]$/.test(id)) return 'a national ID is 17 digits followed by a digit or X';
  if (!PROVINCES.has(id.slice(0, 2))) return 'the first 6 digits are not an administrative region code';
  const born = birthDateOfNationalId(id);
  if (!isCalendarDate(born) || born < '1900-01-01') return 'digits 7–14 are not a birth date (YYYYMMDD)';
  if (birthDate !== undefined && born !== birthDate) return 'digits 7–14 do not match birthDate';
  if (nationalIdCheckCharacter(id.slice(0, 17)) !== id[17]) return 'the check character (last) does not match the first 17 digits';
  return null;
}

function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Builds a valid ID (for the seed and tests): region code, birth date, 3-digit sequence. */
export function makeNationalId(regionCode: string, birthDate: string, sequence: number): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error('region code is 6 digits');
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) throw new Error('sequence is 0–999');
  const first17 = `${regionCode}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + nationalIdCheckCharacter(first17);
}
