import { CARD_NO_PATTERN } from '@contexts/cards';
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Problems } from '@onecard/kernel';
import { AdminEndpoint, CurrentAdmin, CurrentTerminal, sendCommandResult, TerminalEndpoint, type TerminalIdentity } from '@onecard/platform';
import type { FastifyReply } from 'fastify';
import { BuyAnnualPassCommand, type AnnualPassAnswer } from '../application/buy-annual-pass/buy-annual-pass.command.js';
import { ListAnnualPassesQuery, type AnnualPassView } from '../application/list-annual-passes/list-annual-passes.query.js';
import { AnnualPassAnswerDto, AnnualPassDto, BuyAnnualPassDto, HolderBuyAnnualPassDto } from './scenic.dto.js';

const SALE_DESCRIPTION =
  'The product, price and end date come from the admission rule data of the region that sells it, in force today (Asia/Shanghai): BJ_PARK_ANNUAL 100 yuan, ' +
  "JJJ_JOINT_ANNUAL 200 yuan, both valid from today to 31 January next year. The pass belongs to the card's holder (holder only; a replacement card keeps it). " +
  "Paid from the card's bank account to pass:<region>:<code>:revenue through the ledger. Idempotent by purchaseId; journaled. " +
  'DENY: PASS_NOT_SOLD, PASS_ALREADY_HELD (same pass valid as long already), INSUFFICIENT_BALANCE, card reasons.';

function checkCardNo(cardNo: string): void {
  if (!CARD_NO_PATTERN.test(cardNo))
    throw Problems.validation([{ pointer: '/cardNo', detail: 'cardNo must be a card number: B, T or H followed by 8 digits' }], 'Bad card number in the path.');
}

@ApiTags('scenic spots (一卡畅游)')
@Controller('v1')
export class AnnualPassesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('admin/cards/:cardNo/annual-passes')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({ summary: "Sell an annual pass onto a card's holder (operator counter).", description: SALE_DESCRIPTION })
  @ApiParam({ name: 'cardNo', example: 'B00000027' })
  @ApiOkResponse({ type: AnnualPassAnswerDto })
  @ApiConflictResponse({ description: 'The purchaseId was used with another body.' })
  async sellAtCounter(
    @Param('cardNo') cardNo: string,
    @Body() body: BuyAnnualPassDto,
    @CurrentAdmin() admin: { actor: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AnnualPassAnswer> {
    checkCardNo(cardNo);
    const result = await this.commands.execute(new BuyAnnualPassCommand(body.purchaseId, cardNo, body.passCode, body.region ?? null, { actor: admin.actor }));
    return sendCommandResult(reply, result);
  }

  @Get('admin/cards/:cardNo/annual-passes')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: "The annual passes of a card's holder (bought with any of their cards)." })
  @ApiParam({ name: 'cardNo', example: 'B00000027' })
  @ApiOkResponse({ type: AnnualPassDto, isArray: true })
  @ApiNotFoundResponse({ description: 'No such card.' })
  async passes(@Param('cardNo') cardNo: string): Promise<AnnualPassView[]> {
    checkCardNo(cardNo);
    const passes = await this.queries.execute(new ListAnnualPassesQuery(cardNo));
    if (!passes) throw Problems.notFound(`No card ${cardNo} is registered.`);
    return passes;
  }

  @Post('holder/annual-passes')
  @HttpCode(200)
  @TerminalEndpoint('HOLDER_APP')
  @ApiOperation({ summary: 'Buy an annual pass from the holder app.', description: SALE_DESCRIPTION })
  @ApiOkResponse({ type: AnnualPassAnswerDto })
  @ApiConflictResponse({ description: 'The purchaseId was used with another body.' })
  async buyInApp(
    @Body() body: HolderBuyAnnualPassDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AnnualPassAnswer> {
    const result = await this.commands.execute(
      new BuyAnnualPassCommand(body.purchaseId, body.cardNo, body.passCode, body.region ?? null, { terminalId: terminal.terminalId }),
    );
    return sendCommandResult(reply, result);
  }
}
