import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, Problems } from '@onecard/kernel';
import { CurrentTerminal, sendCommandResult, TerminalEndpoint, type TerminalIdentity } from '@onecard/platform';
import type { FastifyReply } from 'fastify';
import { ListCatalogueQuery, type CatalogueAnswer } from '../application/list-catalogue/list-catalogue.query.js';
import { PreSettleQuery } from '../application/pre-settle/pre-settle.query.js';
import { ReverseSettlementCommand, type ReversalAnswer } from '../application/reverse-settlement/reverse-settlement.command.js';
import { SettleCommand } from '../application/settle/settle.command.js';
import type { SettlementAnswer, SettlementRequest } from '../application/settlement-decision.js';
import {
  MedicalCatalogueAnswerDto,
  MedicalCatalogueQueryDto,
  ReversalAnswerDto,
  ReversalRequestDto,
  SettlementAnswerDto,
  SettlementRequestDto,
} from './medical.dto.js';

const SETTLEMENT_DESCRIPTION =
  "Treatment region's catalogue, home region's policy (REFERENCE.md §2): each line is priced by the catalogue of the clinic's region (A in policy, " +
  "B a self-paid-first share then in policy, C and unknown codes self-paid); the home region's policy for the holder's scheme then applies the " +
  "deductible left for the year (outpatient) or the stay's deductible (inpatient: first vs later stay), the ratio by institution level (community " +
  'ratio, retiree adjustments) and the yearly cap left. The fund pays its share; the personal account (employees, up to its balance, unless ' +
  "usePersonalAccount is false) and then cash pay the rest. The fund's share is rounded once on the total by the policy's rule (floor) and " +
  'allocated to the lines by largest remainder: every line and every total sums exactly (ADR 0009). A recognisable lab/imaging line with a ' +
  "result of the same person from a participating institution within the catalogue's window is reused (recognised: true) and charged 0, unless it " +
  'carries an override. ';

@ApiTags('medical (一卡通结)')
@Controller('v1/medical')
export class MedicalController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('settlements')
  @HttpCode(200)
  @TerminalEndpoint('CLINIC')
  @ApiOperation({
    summary: 'Settle a bill at the clinic counter (一卡通结): fund, personal account and cash, one ledger group.',
    description:
      SETTLEMENT_DESCRIPTION +
      "The institution is the terminal's venue. Idempotent by settlementId. A refused well-formed settlement is 200 DENY with a reason code, journaled; " +
      'a 医保码 presented to a settlement is used whatever the decision.',
  })
  @ApiOkResponse({ type: SettlementAnswerDto })
  @ApiBadRequestResponse({ description: 'Invalid body (problem+json naming each field); nothing is written.' })
  @ApiConflictResponse({ description: 'settlementId already used with another body.' })
  async settle(
    @Body() body: SettlementRequestDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SettlementAnswer> {
    const result = await this.commands.execute(new SettleCommand(toRequest(body), terminal));
    return sendCommandResult(reply, result);
  }

  @Post('pre-settlements')
  @HttpCode(200)
  @TerminalEndpoint('CLINIC')
  @ApiOperation({
    summary: 'Pre-settle (试算): the split a settlement with this body would give now; nothing is written.',
    description:
      SETTLEMENT_DESCRIPTION +
      'Same body and answer as a settlement, computed the same way, but nothing is journaled or posted, accumulators are only read and a 医保码 is only checked (not used). ' +
      'A refusal is answered as DENY but not journaled.',
  })
  @ApiOkResponse({ type: SettlementAnswerDto })
  @ApiBadRequestResponse({ description: 'Invalid body (problem+json naming each field).' })
  preSettle(@Body() body: SettlementRequestDto, @CurrentTerminal() terminal: TerminalIdentity): Promise<SettlementAnswer> {
    return this.queries.execute(new PreSettleQuery(toRequest(body), terminal));
  }

  @Post('settlements/:settlementId/reversal')
  @HttpCode(200)
  @TerminalEndpoint('CLINIC')
  @ApiOperation({
    summary: 'Reverse a whole settlement (冲正) by reversing entries; the annual accumulators are restored and its results dropped.',
    description:
      'Only a terminal of the institution that settled may reverse (403 otherwise). Idempotent by reversalId. A settlement is reversed at most once: ' +
      'a second reversal is 200 DENY ALREADY_REVERSED; reversing a refused settlement is DENY NOTHING_TO_REVERSE; an unknown settlement is 404.',
  })
  @ApiParam({ name: 'settlementId', example: 'st-20260302-0001' })
  @ApiOkResponse({ type: ReversalAnswerDto })
  @ApiBadRequestResponse({ description: 'Invalid body or settlement id.' })
  @ApiNotFoundResponse({ description: 'No such settlement.' })
  @ApiConflictResponse({ description: 'reversalId already used with another body.' })
  async reverse(
    @Param('settlementId') settlementId: string,
    @Body() body: ReversalRequestDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReversalAnswer> {
    if (!CLIENT_ID_PATTERN.test(settlementId))
      throw Problems.validation([{ pointer: '/settlementId', detail: 'settlementId must be 1–64 of [A-Za-z0-9_-]' }], 'Bad settlement id in the path.');
    const result = await this.commands.execute(new ReverseSettlementCommand(settlementId, body.reversalId, body.reason, terminal));
    return sendCommandResult(reply, result);
  }

  @Get('catalogue')
  @TerminalEndpoint('CLINIC')
  @ApiOperation({
    summary: "The treatment region's catalogue (就医地目录) in force: items, categories A/B/C, self-paid-first shares, mutually recognised items.",
    description: "For clinic terminals (any region's catalogue). Admins read the same at GET /v1/admin/medical/catalogue.",
  })
  @ApiOkResponse({ type: MedicalCatalogueAnswerDto })
  @ApiBadRequestResponse({ description: 'Unknown region or bad date.' })
  @ApiNotFoundResponse({ description: 'No catalogue in force for that region on that day.' })
  catalogue(@Query() query: MedicalCatalogueQueryDto): Promise<CatalogueAnswer> {
    return this.queries.execute(new ListCatalogueQuery(query.region, query.on));
  }
}

function toRequest(body: SettlementRequestDto): SettlementRequest {
  return {
    settlementId: body.settlementId,
    credential: body.credential.medicalCode !== undefined ? { medicalCode: body.credential.medicalCode } : { cardNo: body.credential.cardNo! },
    visitType: body.visitType,
    items: body.items.map((i) => ({
      code: i.code,
      quantity: i.quantity,
      unitPriceFen: i.unitPriceFen,
      ...(i.override ? { override: { reason: i.override.reason } } : {}),
    })),
    occurredAt: body.occurredAt,
    ...(body.usePersonalAccount !== undefined ? { usePersonalAccount: body.usePersonalAccount } : {}),
  };
}
