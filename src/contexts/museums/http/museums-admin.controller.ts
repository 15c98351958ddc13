import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
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
import { addBusinessDays, CLOCK, Problems, type Clock } from '@onecard/kernel';
import { AdminEndpoint, CurrentAdmin, sendCommandResult, sendReport, type AdminIdentity, ReportEndpoint } from '@onecard/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfigureMuseumCommand, type MuseumView } from '../application/configure-museum/configure-museum.command.js';
import { NoShowCounter, type NoShowRun } from '../application/count-no-shows/no-show-counter.js';
import { ListMuseumsQuery } from '../application/list-museums/list-museums.query.js';
import { MuseumReports } from '../application/slot-report/museum-reports.js';
import { MuseumSlotReportQuery } from '../application/slot-report/slot-report.query.js';
import { ConfigureMuseumDto, MuseumDto, MuseumSlotReportDto, NoShowRunAnswerDto, NoShowRunDto, SlotReportQueryDto } from './museums.dto.js';

const MAX_REPORT_DAYS = 92;

@ApiTags('admin: museums')
@Controller('v1/admin/museums')
export class MuseumsAdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly noShows: NoShowCounter,
    private readonly reports: MuseumReports,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Put(':museumId')
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Open a museum for booking, or change its seats per slot.',
    description:
      'The museum must be a MUSEUM venue of the registry. The slot pattern, closed days and limits are rule data (museums/booking); this sets the seats of each slot. ' +
      'Journaled as museums.configure-museum <museumId>.v<version>; the same quota again changes nothing (200, Idempotent-Replayed).',
  })
  @ApiParam({ name: 'museumId', example: 'MUS-11-NATIONAL' })
  @ApiCreatedResponse({ type: MuseumDto, description: 'First configuration.' })
  @ApiOkResponse({ type: MuseumDto, description: 'Changed, or unchanged.' })
  @ApiBadRequestResponse({ description: 'Invalid body, or the venue is not a museum.' })
  @ApiNotFoundResponse({ description: 'No such venue.' })
  @ApiConflictResponse({ description: 'Changed concurrently by another request.' })
  async configure(
    @Param('museumId') museumId: string,
    @Body() body: ConfigureMuseumDto,
    @CurrentAdmin() admin: { actor: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MuseumView> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(museumId))
      throw Problems.validation([{ pointer: '/museumId', detail: 'museumId must be 1–64 of [A-Za-z0-9_-]' }], 'Bad museum id in the path.');
    return sendCommandResult(reply, await this.commands.execute(new ConfigureMuseumCommand(museumId, body.slotQuota, admin.actor)));
  }

  @Get()
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'Museums open for booking, with their seats per slot.' })
  @ApiOkResponse({ type: MuseumDto, isArray: true })
  list(): Promise<MuseumView[]> {
    return this.queries.execute(new ListMuseumsQuery());
  }

  @Get('slots')
  @ReportEndpoint({
    summary: 'reservations, visits (admitted), no-shows and cancellations per day, museum and slot, with per-day totals.',
    description: "Asia/Shanghai days; at most 93 per request. The summary: `days` (per day and museum). A region-scoped token sees its region's museums.",
    type: MuseumSlotReportDto,
  })
  async slots(@Query() query: SlotReportQueryDto, @CurrentAdmin() admin: AdminIdentity, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const to = query.to ?? query.from;
    if (to < query.from || to > addBusinessDays(query.from, MAX_REPORT_DAYS)) {
      throw Problems.validation([{ pointer: '/to', detail: `to must be from \`from\` up to ${MAX_REPORT_DAYS} days after it` }]);
    }
    const f = { from: query.from, to, museumId: query.museumId ?? null, region: admin.region };
    await sendReport(req, reply, this.reports.slots(f), query, () => this.queries.execute(new MuseumSlotReportQuery(f.from, f.to, f.museumId, f.region)));
  }

  @Post('no-show-runs')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Count no-shows now: every reservation still booked whose slot ended by asOf.',
    description:
      'The same job the service runs every minute with its clock (and `npm run museums:count-no-shows -- --as-of …`): one journaled command per reservation, ' +
      'id = reservation id, so running it again, or on several instances, counts nothing twice. A third no-show within 90 days starts a 30-day booking ban (rule data).',
  })
  @ApiOkResponse({ type: NoShowRunAnswerDto })
  @ApiBadRequestResponse({ description: 'asOf is not an instant with offset, or is after the service clock.' })
  countNoShows(@Body() body: NoShowRunDto): Promise<NoShowRun> {
    const now = this.clock.now();
    const asOf = body.asOf ? new Date(body.asOf) : now;
    // A slot that has not ended yet by the service clock cannot have been missed.
    if (asOf.getTime() > now.getTime()) throw Problems.validation([{ pointer: '/asOf', detail: 'asOf must not be after the service clock' }]);
    return this.noShows.run(asOf);
  }
}
