import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, Problems, type Clock } from '@onecard/kernel';
import { CurrentTerminal, sendCommandResult, TerminalEndpoint, type TerminalIdentity } from '@onecard/platform';
import type { FastifyReply } from 'fastify';
import { TapScenicGateCommand, type ScenicTapAnswer } from '../application/tap-scenic-gate/tap-scenic-gate.command.js';
import { ScenicTapAnswerDto, ScenicTapDto } from './scenic.dto.js';

/** How far ahead of the service clock a terminal's `tappedAt` may be (clock drift), not more. */
export const MAX_TAP_CLOCK_AHEAD_MS = 5 * 60_000;

/** A tap claiming a time well ahead of ours is malformed: it would take tomorrow's capacity. */
export function checkTappedAt(tappedAt: string, now: Date): void {
  if (new Date(tappedAt).getTime() - now.getTime() > MAX_TAP_CLOCK_AHEAD_MS) {
    throw Problems.validation([{ pointer: '/tappedAt', detail: 'tappedAt is more than 5 minutes ahead of the service clock' }]);
  }
}

@ApiTags('scenic spots (一卡畅游)')
@Controller('v1/scenic')
export class ScenicTapsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('taps')
  @HttpCode(200)
  @TerminalEndpoint('SCENIC_GATE')
  @ApiOperation({
    summary: 'A card tapped at a scenic spot gate: admit or refuse, and charge the admission.',
    description:
      "The spot is the gate's venue. Its region's admission rules in force on the visit date (Asia/Shanghai date of tappedAt) decide the price: " +
      'a same-day re-entry is free and takes no place; an annual pass valid that day for a programme the spot takes part in admits free (holder only: ' +
      "any card of the pass holder); a senior band by the holder's age on the visit date pays its share (Beijing 60+ free at parks, Tianjin 60–69 half and 70+ free, " +
      "Hebei 60–64 half and 65+ free, from rule data); otherwise the base price. A price above zero is paid from the card's bank account to venue:<spotId>:revenue " +
      'through the ledger (INSUFFICIENT_BALANCE if short). An entry takes a place of the daily capacity (CAPACITY_FULL when none is left; exact under concurrent taps). ' +
      'Idempotent by tapId; every decision is journaled with the rule set version.',
  })
  @ApiOkResponse({ type: ScenicTapAnswerDto, description: 'ALLOW or DENY with a reason code.' })
  @ApiBadRequestResponse({
    description: 'Malformed body (problem+json with errors[] pointers), or tappedAt more than 5 minutes ahead of the service clock. Nothing is written.',
  })
  @ApiConflictResponse({ description: 'The tapId was used with another body.' })
  async tap(
    @Body() body: ScenicTapDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScenicTapAnswer> {
    if (body.spotId !== undefined && body.spotId !== terminal.venueId) {
      throw Problems.forbidden(`Terminal ${terminal.terminalId} stands at ${terminal.venueId ?? 'no venue'}, not at ${body.spotId}.`);
    }
    checkTappedAt(body.tappedAt, this.clock.now());
    const result = await this.commands.execute(
      new TapScenicGateCommand(body.tapId, body.cardNo, body.tappedAt, terminal.venueId!, terminal.region!, terminal.terminalId),
    );
    return sendCommandResult(reply, result);
  }
}
