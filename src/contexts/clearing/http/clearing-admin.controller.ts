import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Problems } from '@onecard/kernel';
import { AdminEndpoint, CurrentAdmin, reportRange, sendReport, type AdminIdentity, ReportEndpoint } from '@onecard/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CloseDayCommand } from '../application/close-day/close-day.command.js';
import { ConfirmSettlementCommand } from '../application/confirm-settlement/confirm-settlement.command.js';
import { GetDayStatementQuery, type DayStatementView } from '../application/get-day/get-day.query.js';
import { GetMonthQuery, type MonthView } from '../application/get-month/get-month.query.js';
import { PayTopUpCallCommand } from '../application/pay-top-up-call/pay-top-up-call.command.js';
import { ClearingReports } from '../application/reports/clearing-reports.js';
import { toClosedStatement, type ClosedStatement } from '../application/statement-view.js';
import type { ServiceLine } from '../domain/statement.js';
import { ClearingRepository, type SettlementRow, type TopUpCallRow } from '../infrastructure/clearing.repository.js';
import { ClearingStatementChain, type StatementChainVerification } from '../public/statement-chain.js';
import {
  CallIdParamDto,
  ClosedStatementDto,
  DateParamDto,
  DayStatementDto,
  ItemPageDto,
  MonthDto,
  MonthParamDto,
  PositionPageDto,
  ServiceLineDto,
  SettlementDto,
  SettlementRowDto,
  StatementChainVerificationDto,
  StatementIdParamDto,
  StatementItemsQueryDto,
  StatementsReportQueryDto,
  TopUpCallDto,
} from './clearing.dto.js';

const REPLAYED = 'Idempotent-Replayed';

@ApiTags('admin: clearing')
@Controller('v1/admin/clearing')
export class ClearingAdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly repository: ClearingRepository,
    private readonly reports: ClearingReports,
    private readonly chain: ClearingStatementChain,
  ) {}

  @Get('service-lines')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'The service lines cleared between regions (data: account kind pairs → line), in statement order.' })
  @ApiOkResponse({ type: ServiceLineDto, isArray: true })
  serviceLines(): Promise<ServiceLine[]> {
    return this.repository.serviceLines();
  }

  @Get('days/:date')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({
    summary: "A business day's clearing statement: the closed one, or the open day's so far.",
    description:
      'Gross and count per payer → payee region and service line, the bilateral nets, each region’s multilateral position (sum zero), the 3 × 3 matrix; ' +
      'for a closed day also the prepayment movements, top-up calls, the ledger transfers posted and the settlements confirmed. A region-scoped token sees its side only.',
  })
  @ApiOkResponse({ type: DayStatementDto })
  @ApiBadRequestResponse({ description: 'Bad date.' })
  day(@Param() p: DateParamDto, @CurrentAdmin() admin: AdminIdentity): Promise<DayStatementView> {
    return this.queries.execute(new GetDayStatementQuery(p.date, admin.region));
  }

  @Post('days/:date/close')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Close a business day: freeze its statement and post the netted obligations (also `npm run clearing:close -- --date <day>`).',
    description:
      'One transaction: the statement goes on the append-only statement chain (its head is in GET /v1/admin/ledger/digest); the daily lines’ bilateral nets ' +
      'move between the region clearing accounts `clearing:<region>`; the medical obligations are drawn from `prepayment:<home>:<treatment>` (topped up from ' +
      'the home fund at the month’s first close); a top-up is called under the threshold; the last day of a month also freezes the month’s medical statement. ' +
      'Legs dated in a closed day that arrive later are cleared in the next close as late items. A second close answers the first (Idempotent-Replayed).',
  })
  @ApiOkResponse({ type: ClosedStatementDto })
  @ApiConflictResponse({ description: 'The day has not ended (DAY_NOT_ENDED), follows an open day (PREVIOUS_DAY_OPEN), or lies before the last closed day.' })
  async close(@Param() p: DateParamDto, @CurrentAdmin() admin: AdminIdentity, @Res({ passthrough: true }) reply: FastifyReply): Promise<ClosedStatement> {
    const { statement, replayed } = await this.commands.execute(new CloseDayCommand(p.date, admin.actor));
    if (replayed) reply.header(REPLAYED, 'true');
    return statement;
  }

  @Get('months/:month')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({
    summary:
      'A month of medical clearing: each prepayment (opening, topped up, called in, drawn, remainder owed either way), top-up calls, the monthly statement.',
  })
  @ApiOkResponse({ type: MonthDto })
  month(@Param() p: MonthParamDto, @CurrentAdmin() admin: AdminIdentity): Promise<MonthView> {
    return this.queries.execute(new GetMonthQuery(p.month, admin.region));
  }

  @Get('statements')
  @ReportEndpoint({
    summary: 'every closed statement × region in a range of days, with its net position and settlement.',
    description: "A region-scoped token sees its region's positions.",
    type: PositionPageDto,
  })
  async statements(
    @Query() q: StatementsReportQueryDto,
    @CurrentAdmin() admin: AdminIdentity,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    reportRange(q);
    await sendReport(req, reply, this.reports.positions({ kind: q.kind ?? null, from: q.from, to: q.to, scope: admin.region }), q);
  }

  @Get('statements/:id')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'A closed statement as frozen (D-<date> or M-<yyyy-mm>), with its hash and settlements.' })
  @ApiOkResponse({ type: ClosedStatementDto })
  @ApiNotFoundResponse({ description: 'No such closed statement.' })
  async statement(@Param() p: StatementIdParamDto, @CurrentAdmin() admin: AdminIdentity): Promise<ClosedStatement> {
    const record = await this.repository.statement(p.id);
    if (!record) throw Problems.notFound(`No closed statement ${p.id}.`);
    return toClosedStatement(record, await this.repository.settlements(p.id), admin.region);
  }

  @Get('statements/:id/items')
  @ReportEndpoint({
    summary: 'the ledger legs a closed statement cleared (command, leg, line, payer, payee, fen, event date, late, adjustment).',
    description: 'A region-scoped token sees the legs its region pays or receives.',
    type: ItemPageDto,
  })
  @ApiNotFoundResponse({ description: 'No such closed statement.' })
  async items(
    @Param() p: StatementIdParamDto,
    @Query() q: StatementItemsQueryDto,
    @CurrentAdmin() admin: AdminIdentity,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const record = await this.repository.statement(p.id);
    if (!record) throw Problems.notFound(`No closed statement ${p.id}.`);
    await sendReport(req, reply, this.reports.items(record, admin.region), q);
  }

  @Post('statements/:id/settlement')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Confirm that a region paid (or received) its multilateral net position of a closed statement.',
    description:
      'Daily lines for a day statement, medical for a month statement. The amount must be exactly |position|. A second confirmation answers the first.',
  })
  @ApiBody({ type: SettlementDto })
  @ApiOkResponse({ type: SettlementRowDto })
  @ApiNotFoundResponse({ description: 'No such closed statement.' })
  @ApiConflictResponse({ description: 'The amount does not match the position (AMOUNT_MISMATCH), or the region has nothing to settle.' })
  async settle(
    @Param() p: StatementIdParamDto,
    @Body() body: SettlementDto,
    @CurrentAdmin() admin: AdminIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SettlementRow> {
    const { settlement, replayed } = await this.commands.execute(
      new ConfirmSettlementCommand(p.id, body.region, body.reference, body.amountFen, new Date(body.paidAt), admin.actor),
    );
    if (replayed) reply.header(REPLAYED, 'true');
    return settlement;
  }

  @Post('top-up-calls/:callId/payment')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({ summary: "Pay a called top-up: a ledger transfer from the home region's fund into the prepayment. Once." })
  @ApiOkResponse({ type: TopUpCallDto })
  @ApiNotFoundResponse({ description: 'No such top-up call.' })
  async payTopUp(@Param() p: CallIdParamDto, @CurrentAdmin() admin: AdminIdentity, @Res({ passthrough: true }) reply: FastifyReply): Promise<TopUpCallRow> {
    const { call, replayed } = await this.commands.execute(new PayTopUpCallCommand(p.callId, admin.actor));
    if (replayed) reply.header(REPLAYED, 'true');
    return call;
  }

  @Get('verification')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'Recompute the closed-statement chain: sequence, links, body hashes and record hashes.' })
  @ApiOkResponse({ type: StatementChainVerificationDto })
  verify(): Promise<StatementChainVerification> {
    return this.chain.verify();
  }
}
