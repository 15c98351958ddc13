import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
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
    ApiForbiddenResponse({ description: `Terminal disabled, or not of kind ${kinds.join('/')}, or acting for another venue.` }),
  );
}

/** An admin endpoint for bearer tokens of the given roles. */
export function AdminEndpoint(...roles: AdminRole[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ADMIN_ROLES_KEY, roles),
    UseGuards(AdminAuthGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or unknown bearer token.' }),
    ApiForbiddenResponse({ description: `Needs role ${roles.join(' or ')}.` }),
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
