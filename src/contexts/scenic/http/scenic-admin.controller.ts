import { Body, Controller, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { addBusinessDays, Problems } from '@onecard/kernel';
import { AdminEndpoint, CurrentAdmin, sendCommandResult, sendReport, type AdminIdentity, ReportEndpoint } from '@onecard/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfigureSpotCommand, type SpotView } from '../application/configure-spot/configure-spot.command.js';
import { ListSpotsQuery } from '../application/list-spots/list-spots.query.js';
import { ScenicDayReportQuery } from '../application/scenic-day-report/scenic-day-report.query.js';
import { ScenicReports } from '../application/scenic-day-report/scenic-reports.js';
import { ConfigureSpotDto, ScenicDayReportDto, ScenicVisitsQueryDto, SpotDto } from './scenic.dto.js';

const MAX_REPORT_DAYS = 92;

@ApiTags('admin: scenic spots')
@Controller('v1/admin/scenic')
export class ScenicAdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly reports: ScenicReports,
  ) {}

  @Put('spots/:spotId')
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: "Configure a scenic spot's admission: type, base price, daily capacity, annual-pass programmes.",
    description:
      "The spot must be a SCENIC_SPOT venue of the registry (its region is the registry's). Each change is journaled as scenic.configure-spot <spotId>.v<version> " +
      'and opens the revenue account venue:<spotId>:revenue; the same settings again change nothing (200, Idempotent-Replayed). Takes effect on the next tap.',
  })
  @ApiParam({ name: 'spotId', example: 'SCN-11-SUMMER' })
  @ApiCreatedResponse({ type: SpotDto, description: 'First configuration.' })
  @ApiOkResponse({ type: SpotDto, description: 'Changed, or unchanged.' })
  @ApiBadRequestResponse({ description: 'Invalid body, or the venue is not a scenic spot.' })
  @ApiNotFoundResponse({ description: 'No such venue.' })
  @ApiConflictResponse({ description: 'Changed concurrently by another request.' })
  async configure(
    @Param('spotId') spotId: string,
    @Body() body: ConfigureSpotDto,
    @CurrentAdmin() admin: { actor: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SpotView> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(spotId))
      throw Problems.validation([{ pointer: '/spotId', detail: 'spotId must be 1–64 of [A-Za-z0-9_-]' }], 'Bad spot id in the path.');
    const result = await this.commands.execute(new ConfigureSpotCommand(spotId, body, admin.actor));
    return sendCommandResult(reply, result);
  }

  @Get('spots')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'Every configured scenic spot.' })
  @ApiOkResponse({ type: SpotDto, isArray: true })
  spots(): Promise<SpotView[]> {
    return this.queries.execute(new ListSpotsQuery());
  }

  @Get('visits')
  @ReportEndpoint({
    summary: 'visits per day and spot (entries, re-entries, capacity used, revenue, concessions), and the concessions granted by kind over the range.',
    description:
      "Days are Asia/Shanghai business days; at most 93 days per request. The summary: `concessions` by kind. A region-scoped token sees its region's spots.",
    type: ScenicDayReportDto,
  })
  async visits(
    @Query() query: ScenicVisitsQueryDto,
    @CurrentAdmin() admin: AdminIdentity,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const to = query.to ?? query.from;
    if (to < query.from || to > addBusinessDays(query.from, MAX_REPORT_DAYS)) {
      throw Problems.validation([{ pointer: '/to', detail: `to must be from \`from\` up to ${MAX_REPORT_DAYS} days after it` }]);
    }
    const f = { from: query.from, to, spotId: query.spotId ?? null, region: admin.region };
    await sendReport(req, reply, this.reports.visits(f), query, () => this.queries.execute(new ScenicDayReportQuery(f.from, f.to, f.spotId, f.region)));
  }
}
