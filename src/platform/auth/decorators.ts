import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AdminRole } from '../config/env.js';
import { AdminAuthGuard, type AdminIdentity } from './admin-auth.guard.js';
import { ADMIN_ROLES_KEY, TERMINAL_KINDS_KEY } from './metadata-keys.js';
import { TerminalAuthGuard } from './terminal-auth.guard.js';
import type { TerminalIdentity, TerminalKind } from './terminal-directory.js';

/** A command endpoint for signed terminals of the given kinds (others get 403). */
export function TerminalEndpoint(...kinds: TerminalKind[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(TERMINAL_KINDS_KEY, kinds),
    UseGuards(TerminalAuthGuard),
    ApiSecurity('terminalId'),
    ApiSecurity('terminalTimestamp'),
    ApiSecurity('terminalSignature'),
    ApiUnauthorizedResponse({ description: 'Missing or invalid signature, unknown terminal, or timestamp more than 300 s off.' }),
    ApiForbiddenResponse({
      description:
        `Terminal disabled, or not of kind ${kinds.join('/')}, or acting for another venue` +
        (kinds.includes('HOLDER_APP') ? '; a HOLDER_APP acting for a card other than the one it is bound to.' : '.'),
    }),
    ApiTooManyRequestsResponse({
      description:
        'v1 extension: this terminal id failed authentication (401) 20 times within a minute from this address; ' +
        'problem+json with Retry-After (seconds). Other addresses are not affected.',
    }),
    ApiServiceUnavailableResponse({ description: UNAVAILABLE }),
  );
}

const UNAVAILABLE =
  'The database is unavailable, or (v1 extension) the service is still starting — waiting for its database or loading; ' +
  'problem+json with Retry-After: retry with the same command id.';

/** An admin endpoint for bearer tokens of the given roles. */
export function AdminEndpoint(...roles: AdminRole[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ADMIN_ROLES_KEY, roles),
    UseGuards(AdminAuthGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or unknown bearer token.' }),
    ApiForbiddenResponse({ description: `Needs role ${roles.join(' or ')}.` }),
    ApiServiceUnavailableResponse({ description: UNAVAILABLE }),
  );
}

/** The authenticated terminal of this request. */
export const CurrentTerminal = createParamDecorator((_: unknown, ctx: ExecutionContext): TerminalIdentity => {
  return ctx.switchToHttp().getRequest<{ terminal: TerminalIdentity }>().terminal;
});

/** The authenticated admin of this request. */
export const CurrentAdmin = createParamDecorator((_: unknown, ctx: ExecutionContext): AdminIdentity => {
  return ctx.switchToHttp().getRequest<{ admin: AdminIdentity }>().admin;
});
