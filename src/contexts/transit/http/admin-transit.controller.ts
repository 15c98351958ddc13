import { CARD_NO_PATTERN } from '@contexts/cards';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Problems } from '@onecard/kernel';
import {
  AdminEndpoint,
  CurrentAdmin,
  ReportEndpoint,
  ReportRangeQueryDto,
  reportRange,
  sendCommandResult,
  sendReport,
  type AdminIdentity,
} from '@onecard/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChargeIncompleteJourneysCommand, type IncompleteChargeRun } from '../application/charge-incomplete-journeys/charge-incomplete-journeys.command.js';
import { ClearTransitLockCommand, type LockClearanceAnswer } from '../application/clear-transit-lock/clear-transit-lock.command.js';
import { GetTimetableQuery, type TimetableView } from '../application/get-timetable/get-timetable.query.js';
import { CardJourneysQuery, type JourneyView } from '../application/journey-reports/journey-reports.query.js';
import { TransitReports } from '../application/journey-reports/transit-reports.js';
import { ResolveJourneyCommand, type ResolutionAnswer } from '../application/resolve-journey/resolve-journey.command.js';
import {
  IncompleteChargeRunAnswerDto,
  IncompleteChargeRunDto,
  JourneyDto,
  JourneyListQueryDto,
  JourneyResolutionDto,
  LimitQueryDto,
  LockClearanceAnswerDto,
  LockClearanceDto,
  OdPairPageDto,
  ResolutionAnswerDto,
  StationRevenuePageDto,
  TapsPerHourPageDto,
  JourneyPageDto,
  TimetableDto,
  TimetableQueryDto,
} from './transit.dto.js';

type Admin = { role: string; actor: string };
const SCOPE = 'Days from..to (Asia/Shanghai, inclusive, at most 366). A region-scoped token sees the stations of its region.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkCardNo(cardNo: string): void {
  if (!CARD_NO_PATTERN.test(cardNo))
    throw Problems.validation([{ pointer: '/cardNo', detail: 'cardNo must be a card number: B, T or H followed by 8 digits' }], 'Bad card number in the path.');
}

/** The staffed window and the railway's reports (operator; reads also auditor). */
@ApiTags('admin: transit')
@Controller('v1/admin/transit')
export class AdminTransitController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly reports: TransitReports,
  ) {}

  @Get('timetable')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: "A day's stations (in service or not) and generated timetable, from the rule version in force that day." })
  @ApiOkResponse({ type: TimetableDto })
  @ApiNotFoundResponse({ description: 'No rule version in force that day.' })
  async timetable(@Query() q: TimetableQueryDto): Promise<TimetableView> {
    const view = await this.queries.execute(new GetTimetableQuery(q.date, q.from ?? null, q.to ?? null));
    if (!view) throw Problems.notFound(`No railway rules are in force on ${q.date}.`);
    return view;
  }

  @Post('cards/:cardNo/lock-clearance')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: "Clear a card's unused seat slips at a staffed window, lifting TRANSIT_LOCKED.",
    description: 'Idempotent by clearanceId; journaled. Nothing to clear is a DENY (NO_UNUSED_SLIPS).',
  })
  @ApiParam({ name: 'cardNo', example: 'T00000018' })
  @ApiOkResponse({ type: LockClearanceAnswerDto })
  async clearLock(
    @Param('cardNo') cardNo: string,
    @Body() body: LockClearanceDto,
    @CurrentAdmin() admin: Admin,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LockClearanceAnswer> {
    checkCardNo(cardNo);
    return sendCommandResult(reply, await this.commands.execute(new ClearTransitLockCommand(body.clearanceId, cardNo, admin.actor)));
  }

  @Post('journeys/:journeyId/resolution')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Resolve an open journey at a staffed window with the exit station the holder names, charging that fare.',
    description:
      'Priced by the rule version in force at entry, as of now; the wallet must cover it (INSUFFICIENT_BALANCE otherwise). Idempotent by resolutionId; journaled.',
  })
  @ApiParam({ name: 'journeyId', format: 'uuid' })
  @ApiOkResponse({ type: ResolutionAnswerDto })
  @ApiBadRequestResponse({ description: 'Malformed body or journey id, unknown station.' })
  @ApiNotFoundResponse({ description: 'No such journey.' })
  async resolve(
    @Param('journeyId') journeyId: string,
    @Body() body: JourneyResolutionDto,
    @CurrentAdmin() admin: Admin,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResolutionAnswer> {
    if (!UUID.test(journeyId)) throw Problems.validation([{ pointer: '/journeyId', detail: 'journeyId must be a UUID' }], 'Bad journey id in the path.');
    return sendCommandResult(reply, await this.commands.execute(new ResolveJourneyCommand(body.resolutionId, journeyId, body.exitStation, admin.actor)));
  }

  @Post('incomplete-charges')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Run the missing tap-out job now, as of an instant (it also runs hourly, and from `npm run transit:charge-incomplete`).',
    description:
      'Journeys open 7 days after entry are charged the fare to the terminus of the train they entered for (what entry required), each once ' +
      '(transit.incomplete-charge:<journeyId>). asOf may not be after the service clock.',
  })
  @ApiOkResponse({ type: IncompleteChargeRunAnswerDto })
  @ApiBadRequestResponse({ description: 'asOf is not an instant with offset, or is after the service clock.' })
  chargeIncomplete(@Body() body: IncompleteChargeRunDto, @CurrentAdmin() admin: Admin): Promise<IncompleteChargeRun> {
    return this.commands.execute(new ChargeIncompleteJourneysCommand(new Date(body.asOf), admin.actor));
  }

  @Get('journeys')
  @ReportEndpoint({
    summary: 'journeys in one state entered on days from..to: OPEN, UNRESOLVED (missing tap-out), INCOMPLETE_CHARGED, CLOSED, RESOLVED; oldest first.',
    description: SCOPE,
    type: JourneyPageDto,
  })
  async journeys(@Query() q: JourneyListQueryDto, @CurrentAdmin() admin: AdminIdentity, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    reportRange(q);
    await sendReport(req, reply, this.reports.journeys(q.status, { from: q.from, to: q.to, region: admin.region }), q);
  }

  @Get('cards/:cardNo/journeys')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: "A card's journeys, newest first." })
  @ApiParam({ name: 'cardNo', example: 'T00000018' })
  @ApiOkResponse({ type: JourneyDto, isArray: true })
  cardJourneys(@Param('cardNo') cardNo: string, @Query() q: LimitQueryDto): Promise<JourneyView[]> {
    checkCardNo(cardNo);
    return this.queries.execute(new CardJourneysQuery(cardNo, q.limit ?? 100));
  }

  @Get('reports/od-pairs')
  @ReportEndpoint({
    summary: 'completed journeys and fares per entry day and entry → exit station pair.',
    description: `${SCOPE} Missing tap-outs charged after 7 days are separate rows marked incompleteCharged, with the station they were charged to.`,
    type: OdPairPageDto,
  })
  async odPairs(@Query() q: ReportRangeQueryDto, @CurrentAdmin() admin: AdminIdentity, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    reportRange(q);
    await sendReport(req, reply, this.reports.odPairs({ from: q.from, to: q.to, region: admin.region }), q);
  }

  @Get('reports/station-revenue')
  @ReportEndpoint({ summary: 'fares charged per day (the day the fare was charged) and boarding station.', description: SCOPE, type: StationRevenuePageDto })
  async stationRevenue(
    @Query() q: ReportRangeQueryDto,
    @CurrentAdmin() admin: AdminIdentity,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    reportRange(q);
    await sendReport(req, reply, this.reports.stationRevenue({ from: q.from, to: q.to, region: admin.region }), q);
  }

  @Get('reports/taps-per-hour')
  @ReportEndpoint({ summary: 'gate entries and exits per day, hour (Asia/Shanghai) and station.', description: SCOPE, type: TapsPerHourPageDto })
  async tapsPerHour(
    @Query() q: ReportRangeQueryDto,
    @CurrentAdmin() admin: AdminIdentity,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    reportRange(q);
    await sendReport(req, reply, this.reports.tapsPerHour({ from: q.from, to: q.to, region: admin.region }), q);
  }
}
