import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { businessDateOf, CLOCK, formatBusinessInstant, type Clock } from '@onecard/kernel';
import type { AdminIdentity } from './admin-auth.guard.js';
import { AdminEndpoint, CurrentAdmin } from './decorators.js';

export class AdminSessionDto {
  @ApiProperty({ enum: ['operator', 'auditor'] }) role!: string;
  @ApiProperty({ nullable: true, type: String, example: '11', description: 'The region a scoped token sees; null for an unscoped one.' }) region!:
    string | null;
  @ApiProperty({ example: 'auditor:1a2b3c4d5e6f', description: 'How the journal names this token (a digest, never the token).' }) actor!: string;
  @ApiProperty({ example: '2026-03-02T09:15:00.000+08:00', description: "The service's business clock (simulated in simulations)." }) now!: string;
  @ApiProperty({ example: '2026-03-02', description: 'Today, Asia/Shanghai, on that clock.' }) businessDate!: string;
}

/** Who the bearer token is, and the service's business time: what the dashboard signs in with. */
@ApiTags('admin: session')
@Controller('v1/admin/session')
export class AdminSessionController {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Get()
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: "The token's role and scope, and the business clock." })
  @ApiOkResponse({ type: AdminSessionDto })
  session(@CurrentAdmin() admin: AdminIdentity): AdminSessionDto {
    const now = this.clock.now();
    return { role: admin.role, region: admin.region, actor: admin.actor, now: formatBusinessInstant(now), businessDate: businessDateOf(now) };
  }
}
