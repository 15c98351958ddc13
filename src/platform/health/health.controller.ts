import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Readiness, type ReadinessView } from './readiness.js';

type ReadyAnswer = HealthCheckResult | ({ status: 'starting' } & ReadinessView);

/**
 * Liveness and readiness (ADR 0014). `live` is the process: it answers while the service waits for
 * its database (a restart would not help). `ready` says whether to send it traffic: started
 * (database reached, migrated, rules and terminal directory loaded) and the database answering now.
 * Health answers are plain JSON (not problems), and a failing probe is not logged as an error.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: Readiness,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (v1 extension), also while it waits for its database.' })
  @ApiOkResponse({ description: '{status: "ok", phase}: phase is waiting-for-database, migrating, loading, ready or failed.' })
  live(): { status: 'ok'; phase: string } {
    return { status: 'ok', phase: this.readiness.state.phase };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness (v1 extension): started, and the database answering. Route traffic only on 200.' })
  @ApiOkResponse({ description: 'Ready: the database answers, migrations ran, the rules and the terminal directory are loaded.' })
  @ApiServiceUnavailableResponse({
    description: 'Starting ({status: "starting", phase, attempts, lastError, retryInMs}, with Retry-After), or the database does not answer now.',
  })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyAnswer> {
    return this.answer(reply);
  }

  @Get()
  @ApiOperation({ summary: 'The same as /health/ready (kept for existing probes).' })
  @ApiOkResponse({ description: 'Ready.' })
  @ApiServiceUnavailableResponse({ description: 'Not ready.' })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyAnswer> {
    return this.answer(reply);
  }

  private async answer(reply: FastifyReply): Promise<ReadyAnswer> {
    if (!this.readiness.ready) {
      void reply.status(503).header('retry-after', String(this.readiness.retryAfterSeconds));
      return { status: 'starting', ...this.readiness.state };
    }
    try {
      return await this.health.check([() => this.indicators.check('startup').up({ phase: 'ready' }), () => this.db.pingCheck('database', { timeout: 1500 })]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503).header('retry-after', '1');
      return error.getResponse() as HealthCheckResult;
    }
  }
}
