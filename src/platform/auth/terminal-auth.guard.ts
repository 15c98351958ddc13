import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CARD_NO_PATTERN, diversifyTerminalKey, ProblemError, Problems, SIGNATURE_WINDOW_MS, TERMINAL_HEADERS, verifySignature } from '@onecard/kernel';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { FailedSignatureThrottle } from './failed-signature-throttle.js';
import { TERMINAL_KINDS_KEY } from './metadata-keys.js';
import { TERMINAL_DIRECTORY, type TerminalDirectory, type TerminalIdentity, type TerminalKind } from './terminal-directory.js';

type SignedRequest = FastifyRequest & { rawBody?: Buffer; terminal?: TerminalIdentity };

/**
 * Verifies the terminal signature (TERMINAL-API.md): 401 for anything that fails to prove who is
 * calling (missing headers, unknown terminal, bad signature, timestamp outside ±300 s of the
 * service's wall clock), 403 for a proven terminal that may not call this endpoint, 429 once a
 * terminal id has failed too often from one address (FailedSignatureThrottle).
 */
@Injectable()
export class TerminalAuthGuard implements CanActivate {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly throttle: FailedSignatureThrottle,
    @Inject(TERMINAL_DIRECTORY) private readonly directory: TerminalDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const kinds = this.reflector.getAllAndOverride<TerminalKind[] | undefined>(TERMINAL_KINDS_KEY, [context.getHandler(), context.getClass()]) ?? [];
    const claimed = header(request, TERMINAL_HEADERS.id) ?? '';
    const wait = this.throttle.retryAfterSeconds(claimed, request.ip);
    if (wait > 0) throw Problems.tooManyRequests(`Too many failed signatures for terminal ${claimed.slice(0, 64)} from this address; retry later.`, wait);
    try {
      request.terminal = await this.authenticate(request, kinds);
      return true;
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 401) this.throttle.recordFailure(claimed, request.ip);
      throw error;
    }
  }

  private async authenticate(request: SignedRequest, kinds: TerminalKind[]): Promise<TerminalIdentity> {
    const terminalId = header(request, TERMINAL_HEADERS.id);
    const timestamp = header(request, TERMINAL_HEADERS.timestamp);
    const signature = header(request, TERMINAL_HEADERS.signature);
    if (!terminalId || !timestamp || !signature) {
      throw Problems.unauthorized('Signed terminal request required: X-Terminal-Id, X-Timestamp and X-Signature headers.');
    }
    if (!/^\d{1,16}$/.test(timestamp)) throw Problems.unauthorized('X-Timestamp must be Unix time in milliseconds.');
    // Wall-clock time on purpose: replay protection is about real time, not simulated business time.
    const skew = Math.abs(Date.now() - Number(timestamp));
    if (skew > SIGNATURE_WINDOW_MS) throw Problems.unauthorized('X-Timestamp is more than 300 s from the service clock.');

    const terminal = await this.directory.findTerminal(terminalId);
    const body = request.rawBody ?? (typeof request.body === 'string' ? request.body : '');
    if (!terminal || !verifySignature(this.keyFor(terminalId), request.method, request.url, timestamp, body, signature)) {
      throw Problems.unauthorized('The signature does not verify for this terminal.');
    }
    if (!terminal.enabled) throw Problems.forbidden(`Terminal ${terminalId} is disabled.`);
    if (kinds.length > 0 && !kinds.includes(terminal.kind)) {
      throw Problems.forbidden(`Terminal ${terminalId} is a ${terminal.kind}; this endpoint is for ${kinds.join(' or ')} terminals.`);
    }
    if (terminal.kind === 'HOLDER_APP') actsForItsCard(terminal, request.body);
    return terminal;
  }

  private keyFor(terminalId: string): Buffer {
    let key = this.keys.get(terminalId);
    if (!key) {
      key = diversifyTerminalKey(this.config.env.TERMINAL_MASTER_KEY, terminalId);
      if (this.keys.size > 100_000) this.keys.clear();
      this.keys.set(terminalId, key);
    }
    return key;
  }
}

/**
 * A holder's app acts only for the card it is bound to (TERMINAL-API.md): every holder-app command
 * names its card as `cardNo`, and any other card is a 403 before the command runs. (A body without
 * a well-formed cardNo is left to validation, which requires one: 400.)
 */
function actsForItsCard(terminal: TerminalIdentity, body: unknown): void {
  if (terminal.cardNo === null) {
    throw Problems.forbidden(`Holder app ${terminal.terminalId} is bound to no card; an operator registers it with the holder's cardNo.`);
  }
  const cardNo = body !== null && typeof body === 'object' ? (body as { cardNo?: unknown }).cardNo : undefined;
  if (typeof cardNo === 'string' && CARD_NO_PATTERN.test(cardNo) && cardNo !== terminal.cardNo) {
    throw Problems.forbidden(`Holder app ${terminal.terminalId} acts only for card ${terminal.cardNo}, not ${cardNo}.`);
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
