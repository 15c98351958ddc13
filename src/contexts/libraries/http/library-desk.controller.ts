import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTerminal, sendCommandResult, TerminalEndpoint, type TerminalIdentity } from '@onecard/platform';
import type { FastifyReply } from 'fastify';
import { LendItemCommand, type LoanAnswer } from '../application/lend-item/lend-item.command.js';
import { PayFinesCommand, type FinePaymentAnswer } from '../application/pay-fines/pay-fines.command.js';
import { RenewLoanCommand, type RenewalAnswer } from '../application/renew-loan/renew-loan.command.js';
import { ReturnItemCommand, type ReturnAnswer } from '../application/return-item/return-item.command.js';
import {
  FinePaymentAnswerDto,
  FinePaymentRequestDto,
  LoanAnswerDto,
  LoanRequestDto,
  RenewalAnswerDto,
  RenewalRequestDto,
  ReturnAnswerDto,
  ReturnRequestDto,
} from './libraries.dto.js';

const ENVELOPE =
  'Idempotent by its id: the same id and body answer the original response (header Idempotent-Replayed: true) and write nothing; ' +
  'the same id with another body is 409. A refusal is 200 with decision DENY and a reason code, journaled with the rule set version.';
const BAD = 'Malformed body (unknown fields, bad ids, instants without an offset, non-integer fen): problem+json with errors[] pointers; nothing is written.';

/** Library desks (一卡通阅): loans, returns, renewals and fine payments. The library is the desk's venue. */
@ApiTags('libraries')
@Controller('v1/libraries')
export class LibraryDeskController {
  constructor(private readonly commands: CommandBus) {}

  @Post('loans')
  @HttpCode(200)
  @TerminalEndpoint('LIBRARY_DESK')
  @ApiOperation({
    summary: "Lend an item at the desk's library.",
    description:
      "Rules: the item network's circulation rules for the holder's home region (loan limit per network, loan days, fines), in force on loanedAt's Asia/Shanghai day. " +
      "An item of another network only where the desk's network lends such items. Refused: card status (CARD_*), ITEM_UNKNOWN (a tap, not a 404), ITEM_ALREADY_ON_LOAN, " +
      'ITEM_OF_ANOTHER_NETWORK, CIRCULATION_RULES_NOT_IN_FORCE, FINES_OUTSTANDING (unpaid fines above the threshold), LOANS_OVERDUE (an overdue loan anywhere, if the rules block on it), ' +
      `LOAN_LIMIT_REACHED. Two desks lending one item at once: one loan, the other ITEM_ALREADY_ON_LOAN. ${ENVELOPE}`,
  })
  @ApiOkResponse({ type: LoanAnswerDto })
  @ApiBadRequestResponse({ description: BAD })
  @ApiConflictResponse({ description: 'loanId reused with a different body.' })
  async lend(
    @Body() body: LoanRequestDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoanAnswer> {
    return sendCommandResult(reply, await this.commands.execute(new LendItemCommand(body.loanId, body.cardNo, body.barcode, body.loanedAt, terminal)));
  }

  @Post('returns')
  @HttpCode(200)
  @TerminalEndpoint('LIBRARY_DESK')
  @ApiOperation({
    summary: "Take an item back at the desk's library (通借通还: any library of the item's network).",
    description:
      "At a library of another network: as the item network's rules say (RETURN_OUTSIDE_NETWORK when they refuse). Never refused for a fine: the overdue fine " +
      "(Asia/Shanghai days past the due date × fine per day per item, capped per item if the rules cap it) is charged from the loan card's bank account to the owning library's revenue " +
      'as far as the balance goes; the rest is recorded as owed (fines receivable) and blocks borrowing above the threshold until paid (POST /v1/libraries/fines/payments). ' +
      `Refused: ITEM_UNKNOWN, ITEM_NOT_ON_LOAN, RETURN_OUTSIDE_NETWORK. ${ENVELOPE}`,
  })
  @ApiOkResponse({ type: ReturnAnswerDto })
  @ApiBadRequestResponse({ description: BAD })
  @ApiConflictResponse({ description: 'returnId reused with a different body.' })
  async return(
    @Body() body: ReturnRequestDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReturnAnswer> {
    return sendCommandResult(reply, await this.commands.execute(new ReturnItemCommand(body.returnId, body.barcode, body.returnedAt, terminal)));
  }

  @Post('renewals')
  @HttpCode(200)
  @TerminalEndpoint('LIBRARY_DESK', 'HOLDER_APP')
  @ApiOperation({
    summary: 'Renew a loan (at a desk or in the holder app).',
    description:
      "The borrower's card (any card of the same holder). New due date: renewal day + the rule's renewal days, never earlier than the current one. " +
      `Refused: card status (CARD_*), ITEM_UNKNOWN, ITEM_NOT_ON_LOAN, LOAN_OF_ANOTHER_HOLDER, RENEWAL_LIMIT_REACHED, LOAN_OVERDUE (when the rules refuse overdue renewals). ${ENVELOPE}`,
  })
  @ApiOkResponse({ type: RenewalAnswerDto })
  @ApiBadRequestResponse({ description: BAD })
  @ApiConflictResponse({ description: 'renewalId reused with a different body.' })
  async renew(
    @Body() body: RenewalRequestDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RenewalAnswer> {
    return sendCommandResult(reply, await this.commands.execute(new RenewLoanCommand(body.renewalId, body.cardNo, body.barcode, body.renewedAt, terminal)));
  }

  @Post('fines/payments')
  @HttpCode(200)
  @TerminalEndpoint('LIBRARY_DESK', 'HOLDER_APP')
  @ApiOperation({
    summary: "Pay a holder's unpaid library fines from the card's bank account.",
    description:
      "All that is owed, or amountFen of it, oldest fines first; each library's share moves from card:<cardNo>:bank into venue:<libraryId>:fines-receivable. " +
      `Refused: card status (CARD_*), NO_OUTSTANDING_FINES, AMOUNT_EXCEEDS_OUTSTANDING_FINES, INSUFFICIENT_BALANCE (nothing is paid; pay a part with amountFen). ${ENVELOPE}`,
  })
  @ApiOkResponse({ type: FinePaymentAnswerDto })
  @ApiBadRequestResponse({ description: BAD })
  @ApiConflictResponse({ description: 'paymentId reused with a different body.' })
  async payFines(
    @Body() body: FinePaymentRequestDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FinePaymentAnswer> {
    return sendCommandResult(
      reply,
      await this.commands.execute(new PayFinesCommand(body.paymentId, body.cardNo, body.amountFen ?? null, body.paidAt, terminal)),
    );
  }
}
