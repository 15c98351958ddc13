import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Problems, sha256Hex } from '@onecard/kernel';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import type { AdminRole } from '../config/env.js';
import type { Region } from '@onecard/kernel';
import { ADMIN_ROLES_KEY } from './metadata-keys.js';

/**
 * Bearer tokens from ADMIN_TOKENS (`role[@region]:token,…`). `operator` manages cards, terminals and
 * rules; `auditor` reads reports and verifies. A token scoped to a region sees that region's side of
 * clearing statements and reports only. The actor recorded in the journal is a digest of the token,
 * never the token itself.
 */
/** The authenticated admin of a request. */
export interface AdminIdentity {
  role: AdminRole;
  actor: string;
  /** The region a scoped token sees; null for an unscoped one. */
  region: Region | null;
}

@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly tokens: { digest: Buffer; role: AdminRole; region: Region | null; actor: string }[];

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    this.tokens = [...config.env.ADMIN_TOKENS.entries()].map(([token, { role, region }]) => {
      const digest = Buffer.from(sha256Hex(token), 'hex');
      return { digest, role, region, actor: `${role}${region ? `@${region}` : ''}:${digest.toString('hex').slice(0, 12)}` };
    });
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { admin?: AdminIdentity }>();
    const roles = this.reflector.getAllAndOverride<AdminRole[] | undefined>(ADMIN_ROLES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    const auth = request.headers.authorization;
    const match = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
    if (!match) throw Problems.unauthorized('Admin endpoints need Authorization: Bearer <token>.');
    const presented = Buffer.from(sha256Hex(match[1]!), 'hex');
    // Compare against every token in constant time so timing does not reveal which one was close.
    let found: (typeof this.tokens)[number] | undefined;
    for (const t of this.tokens) if (timingSafeEqual(t.digest, presented)) found = t;
    if (!found) throw Problems.unauthorized('Unknown admin token.');
    if (roles.length > 0 && !roles.includes(found.role)) {
      throw Problems.forbidden(`This endpoint needs role ${roles.join(' or ')}; the token has role ${found.role}.`);
    }
    request.admin = { role: found.role, actor: found.actor, region: found.region };
    return true;
  }
}
