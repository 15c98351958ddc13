import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
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
import { Problems } from '@onecard/kernel';
import { AdminEndpoint, CurrentAdmin, sendCommandResult } from '@onecard/platform';
import type { FastifyReply } from 'fastify';
import type { AdminCardView } from '../application/admin-card-view.js';
import { ChangeCardStatusCommand, type CardStatusChanged } from '../application/change-card-status/change-card-status.command.js';
import { FindHolderCardsQuery } from '../application/find-holder-cards/find-holder-cards.query.js';
import { GetCardQuery } from '../application/get-card/get-card.query.js';
import { IssueCardCommand } from '../application/issue-card/issue-card.command.js';
import { ReplaceCardCommand, type CardReplaced } from '../application/replace-card/replace-card.command.js';
import { TopUpCardCommand, type TopUpAnswer } from '../application/top-up-card/top-up-card.command.js';
import { CARD_NO_PATTERN } from '../domain/card-number.js';
import {
  CardDto,
  CardReplacedDto,
  CardStatusChangedDto,
  CardStatusDto,
  HolderLookupDto,
  IssueCardDto,
  ReplaceCardDto,
  TopUpAnswerDto,
  TopUpDto,
} from './cards.dto.js';

type Admin = { role: string; actor: string };

export function checkCardNoParam(cardNo: string): void {
  if (!CARD_NO_PATTERN.test(cardNo)) {
    throw Problems.validation([{ pointer: '/cardNo', detail: 'cardNo must be a card number: B, T or H followed by 8 digits' }], 'Bad card number in the path.');
  }
}

const CARD_NO_PARAM = { name: 'cardNo', example: 'T00000018', description: 'Card number: B/T/H + 7-digit serial + Luhn check digit.' };
const STATUS_CONFLICT =
  "Not allowed in the card's status: problem type /problems/card-status-conflict with currentStatus, operation and allowedOperations. Nothing is written.";

@ApiTags('admin: cards')
@Controller('v1/admin/cards')
export class AdminCardsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Issue a card (and its holder, and its ledger accounts).',
    description:
      'Opens card:<cardNo>:bank always, card:<cardNo>:transit with the transit application, card:<cardNo>:personal for employees. ' +
      'Idempotent by the person: the same body again replays the 201; a person with a live card gets 409 naming it. ' +
      'The national ID is stored only as a keyed hash and masked; answers show it masked.',
  })
  @ApiCreatedResponse({ type: CardDto })
  @ApiBadRequestResponse({
    description: 'Invalid body: national ID format, birth date mismatch or in the future, transit application not available on this card, unknown fields…',
  })
  @ApiConflictResponse({ description: 'This person already holds a live card.' })
  async issue(@Body() body: IssueCardDto, @CurrentAdmin() admin: Admin, @Res({ passthrough: true }) reply: FastifyReply): Promise<AdminCardView> {
    const result = await this.commands.execute(
      new IssueCardCommand(body.holder, body.issuingRegion, body.generation, body.transitApp, body.sealed ?? false, admin.actor),
    );
    return sendCommandResult(reply, result);
  }

  @Post('lookup')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({ summary: "Find a person's cards by national ID (matched by its keyed hash; the ID travels in the body, not the URL)." })
  @ApiOkResponse({ type: CardDto, isArray: true })
  lookup(@Body() body: HolderLookupDto): Promise<AdminCardView[]> {
    return this.queries.execute(new FindHolderCardsQuery(body.nationalId));
  }

  @Get(':cardNo')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'A card with its masked holder and account balances.' })
  @ApiParam(CARD_NO_PARAM)
  @ApiOkResponse({ type: CardDto })
  @ApiNotFoundResponse({ description: 'No such card.' })
  async get(@Param('cardNo') cardNo: string): Promise<AdminCardView> {
    checkCardNoParam(cardNo);
    const card = await this.queries.execute(new GetCardQuery(cardNo));
    if (!card) throw Problems.notFound(`No card ${cardNo} is registered.`);
    return card;
  }

  @Post(':cardNo/status')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: "Change a card's status: activate, temporary / formal loss report, cancel loss report, cancel, lock / unlock.",
    description:
      'Transitions: SEALED→ACTIVE (ACTIVATE), ACTIVE→TEMPORARY_LOSS/FORMAL_LOSS/CANCELLED/APPLICATION_LOCKED, TEMPORARY_LOSS→FORMAL_LOSS/ACTIVE/CANCELLED, ' +
      'FORMAL_LOSS→ACTIVE/CANCELLED, APPLICATION_LOCKED→ACTIVE (UNLOCK)/TEMPORARY_LOSS/FORMAL_LOSS/CANCELLED; CANCELLED and REPLACED are final. ' +
      "Journaled; repeating the card's last operation replays its answer.",
  })
  @ApiParam(CARD_NO_PARAM)
  @ApiOkResponse({ type: CardStatusChangedDto })
  @ApiNotFoundResponse({ description: 'No such card.' })
  @ApiConflictResponse({ description: STATUS_CONFLICT })
  async changeStatus(
    @Param('cardNo') cardNo: string,
    @Body() body: CardStatusDto,
    @CurrentAdmin() admin: Admin,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CardStatusChanged> {
    checkCardNoParam(cardNo);
    return sendCommandResult(reply, await this.commands.execute(new ChangeCardStatusCommand(cardNo, body.operation, admin.actor)));
  }

  @Post(':cardNo/top-ups')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: "Top up one of a card's accounts (TRANSIT, BANK, PERSONAL).",
    description:
      'A ledger transfer from external:cash-in:<issuing region> (bank, transit) or external:medical-contributions:<home region> (personal). ' +
      "Idempotent by topUpId. Limits (minimum, maximum, balance cap) come from the rule data of the card's issuing region; " +
      'a refused top-up is 200 with decision DENY and a reason code, journaled. An unknown card is a DENY (CARD_UNKNOWN), not a 404.',
  })
  @ApiParam(CARD_NO_PARAM)
  @ApiOkResponse({ type: TopUpAnswerDto })
  async topUp(
    @Param('cardNo') cardNo: string,
    @Body() body: TopUpDto,
    @CurrentAdmin() admin: Admin,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TopUpAnswer> {
    checkCardNoParam(cardNo);
    return sendCommandResult(reply, await this.commands.execute(new TopUpCardCommand(cardNo, body.topUpId, body.account, body.amountFen, admin.actor)));
  }

  @Post(':cardNo/replacement')
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Issue a replacement card (补卡) for a formally lost card.',
    description:
      'Needs FORMAL_LOSS first. The new card has the same holder; it gets its own accounts. Issued ACTIVE (default), the old card becomes REPLACED at once ' +
      'and every balance moves to the new card by journaled ledger transfers; issued sealed, that happens on ACTIVATE.',
  })
  @ApiParam(CARD_NO_PARAM)
  @ApiCreatedResponse({ type: CardReplacedDto })
  @ApiNotFoundResponse({ description: 'No such card.' })
  @ApiConflictResponse({ description: STATUS_CONFLICT })
  async replace(
    @Param('cardNo') cardNo: string,
    @Body() body: ReplaceCardDto,
    @CurrentAdmin() admin: Admin,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CardReplaced> {
    checkCardNoParam(cardNo);
    const result = await this.commands.execute(
      new ReplaceCardCommand(cardNo, body.generation ?? null, body.transitApp ?? null, body.sealed ?? false, admin.actor),
    );
    return sendCommandResult(reply, result);
  }
}
