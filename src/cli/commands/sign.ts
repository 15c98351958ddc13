import { businessDateOf, formatBusinessInstant, signTerminalRequest } from '@onecard/kernel';
import { parseEnv } from '@onecard/platform';
import type { Command } from 'commander';
import { DEMO_CARDS } from '../../seed/demo-cards.js';
import { holderAppOf } from '../../seed/demo-venues.js';

interface SignOptions {
  terminal?: string;
  path?: string;
  body?: string;
  method?: string;
  url?: string;
  example: string;
}

/** Ready-made requests against the seeded demo data. */
function example(name: string, now: Date): { terminal: string; path: string; body: string } {
  switch (name) {
    case 'seat':
      // Seat first (REFERENCE.md §1): the gate wants a slip for a train leaving within 30 minutes.
      return {
        terminal: 'TJN-S-1',
        path: '/v1/transit/seat-reservations',
        body: JSON.stringify({
          reservationId: `demo-seat-${now.getTime()}`,
          cardNo: DEMO_CARDS.tianjinCommuter,
          fromStation: 'TJN',
          toStation: 'BJN',
          travelDate: businessDateOf(now),
        }),
      };
    case 'tap':
      return {
        terminal: 'TJN-G-IN-1',
        path: '/v1/transit/taps',
        body: JSON.stringify({
          tapId: `demo-${now.getTime()}`,
          cardNo: DEMO_CARDS.tianjinCommuter,
          gateId: 'TJN-G-IN-1',
          tappedAt: formatBusinessInstant(now),
        }),
      };
    case 'medical-code':
      return {
        terminal: holderAppOf(DEMO_CARDS.beijingEmployee),
        path: '/v1/holder/medical-codes',
        body: JSON.stringify({ cardNo: DEMO_CARDS.beijingEmployee }),
      };
    default:
      throw new Error(`unknown example "${name}": use seat, tap or medical-code`);
  }
}

/** Quotes for a POSIX shell: everything literal inside single quotes. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * `npm run sign -- --terminal TJN-G-IN-1 --path /v1/transit/taps --body '{…}'` prints a signed curl
 * command (TERMINAL-API.md "Terminal authentication", key diversified from TERMINAL_MASTER_KEY).
 * With no arguments: an entry tap of the seeded Tianjin commuter card at Tianjin's first entry gate.
 */
export function registerSignCommand(program: Command): void {
  program
    .command('sign')
    .description('print a signed curl command for a terminal request (no arguments: a demo gate tap)')
    .option('--terminal <id>', 'terminal id (X-Terminal-Id)')
    .option('--path <path>', 'request path with query, e.g. /v1/transit/taps')
    .option('--body <json>', 'exact request body (signed byte for byte)')
    .option('--method <method>', 'HTTP method (default POST with a body, GET without)')
    .option('--url <base>', 'service base URL (default http://localhost:$PORT)')
    .option('--example <name>', 'demo request when no --path is given: seat | tap | medical-code', 'tap')
    .action((opts: SignOptions) => {
      const env = parseEnv(process.env);
      const now = new Date();
      const chosen = opts.path
        ? { terminal: opts.terminal, path: opts.path, body: opts.body }
        : { ...example(opts.example, now), ...(opts.terminal ? { terminal: opts.terminal } : {}) };
      if (!chosen.terminal) throw new Error('--terminal is required with --path');
      if (!chosen.path.startsWith('/')) throw new Error('--path must start with /');
      if (chosen.body !== undefined) {
        try {
          JSON.parse(chosen.body);
        } catch {
          throw new Error('--body is not valid JSON');
        }
      }
      const method = (opts.method ?? (chosen.body !== undefined ? 'POST' : 'GET')).toUpperCase();
      const base = (opts.url ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
      const headers = signTerminalRequest({
        masterKey: env.TERMINAL_MASTER_KEY,
        terminalId: chosen.terminal,
        method,
        path: chosen.path,
        body: chosen.body ?? '',
        timestampMs: now.getTime(),
      });
      const lines = [`curl -sS -X ${method} ${shellQuote(base + chosen.path)}`];
      if (chosen.body !== undefined) lines.push(`-H 'content-type: application/json'`);
      for (const [name, value] of Object.entries(headers)) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
      if (chosen.body !== undefined) lines.push(`--data-raw ${shellQuote(chosen.body)}`);
      process.stdout.write(`${lines.join(' \\\n  ')}\n`);
      process.stderr.write(`# signed for ${chosen.terminal}; the timestamp is accepted for 300 s\n`);
    });
}
