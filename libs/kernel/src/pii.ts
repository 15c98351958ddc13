/**
 * Personal data (national ID numbers, names) never leaves the service in clear unless a role needs
 * it. These helpers give the one masked form used in logs, reports and API answers.
 */

/** 18-digit national ID → first 6 (region) and last 4 kept: `120104********123X`. */
export function maskNationalId(id: string): string {
  if (id.length <= 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** 张三丰 → 张** ; "Li Lei" → "L*****". Keeps the first character only. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Paths redacted from structured logs (pino `redact`). */
export const PII_LOG_PATHS = [
  'req.body.holder.name',
  'req.body.holder.nationalId',
  'req.body.nationalId',
  'req.body.name',
  'req.headers.authorization',
  'holder.name',
  'holder.nationalId',
  'nationalId',
  'name',
];
