import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, CLOCK, Problems, type Clock } from '@onecard/kernel';
import { CurrentTerminal, sendCommandResult, TerminalEndpoint, type TerminalIdentity } from '@onecard/platform';
import type { FastifyReply } from 'fastify';
import { BookVisitCommand, type ReservationAnswer } from '../application/book-visit/book-visit.command.js';
import { CancelReservationCommand, type CancellationAnswer } from '../application/cancel-reservation/cancel-reservation.command.js';
import { TapMuseumGateCommand, type MuseumTapAnswer } from '../application/tap-museum-gate/tap-museum-gate.command.js';
import {
  MuseumCancellationAnswerDto,
  MuseumCancellationDto,
  MuseumTapAnswerDto,
  MuseumTapDto,
  MuseumReservationAnswerDto,
  MuseumReservationDto,
} from './museums.dto.js';

const MAX_TAP_CLOCK_AHEAD_MS = 5 * 60_000;

function actingFor(terminal: TerminalIdentity, museumId: string): void {
  if (terminal.kind !== 'HOLDER_APP' && terminal.venueId !== museumId) {
    throw Problems.forbidden(`Terminal ${terminal.terminalId} stands at ${terminal.venueId ?? 'no venue'}, not at ${museumId}.`);
  }
}

@ApiTags('museums (一卡通览)')
@Controller('v1/museums')
export class MuseumsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('reservations')
  @HttpCode(200)
  @TerminalEndpoint('HOLDER_APP', 'MUSEUM_GATE')
  @ApiOperation({
    summary: 'Book a timed entry slot at a museum (free, real name: the card identifies the holder).',
    description:
      "From the holder's app (any museum), or from a museum's own gate/desk terminal (MUSEUM_GATE: only its museum, 403 otherwise). The museum region's booking rules " +
      'in force on the visit date decide (rule data): the slot pattern (e.g. 09:00–11:00, 11:00–13:00, 13:00–16:30), closed days (Mondays), booking from today up to ' +
      '7 days ahead (UTC+8 dates), 1 reservation a day and 4 a month per person at a museum, and a 30-day booking ban after 3 no-shows within 90 days. Seats per slot ' +
      "are the museum's configuration; the last seat goes to exactly one of concurrent bookings. Idempotent by reservationId; every decision is journaled.",
  })
  @ApiOkResponse({ type: MuseumReservationAnswerDto })
  @ApiBadRequestResponse({ description: 'Malformed body, or museumId names no museum. Nothing is written.' })
  @ApiConflictResponse({ description: 'The reservationId was used with another body.' })
  async reserve(
    @Body() body: MuseumReservationDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReservationAnswer> {
    actingFor(terminal, body.museumId);
    const result = await this.commands.execute(new BookVisitCommand(body.reservationId, body.cardNo, body.museumId, body.date, body.slot, terminal.terminalId));
    return sendCommandResult(reply, result);
  }

  @Post('reservations/:reservationId/cancellation')
  @HttpCode(200)
  @TerminalEndpoint('HOLDER_APP', 'MUSEUM_GATE')
  @ApiOperation({
    summary: 'Cancel a reservation before its slot starts; the seat is given back.',
    description:
      "The card identifies the holder (the reservation must be theirs). A museum's own terminal may cancel only its museum's reservations (403). Idempotent by cancellationId; journaled.",
  })
  @ApiParam({ name: 'reservationId', example: 'rsv-20260303-0001' })
  @ApiOkResponse({ type: MuseumCancellationAnswerDto })
  @ApiBadRequestResponse({ description: 'Malformed body or reservation id.' })
  @ApiConflictResponse({ description: 'The cancellationId was used with another body.' })
  async cancel(
    @Param('reservationId') reservationId: string,
    @Body() body: MuseumCancellationDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CancellationAnswer> {
    if (!CLIENT_ID_PATTERN.test(reservationId))
      throw Problems.validation([{ pointer: '/reservationId', detail: 'reservationId must be 1–64 of [A-Za-z0-9_-]' }], 'Bad reservation id in the path.');
    const result = await this.commands.execute(new CancelReservationCommand(body.cancellationId, reservationId, body.cardNo, terminal));
    return sendCommandResult(reply, result);
  }

  @Post('taps')
  @HttpCode(200)
  @TerminalEndpoint('MUSEUM_GATE')
  @ApiOperation({
    summary: 'A card tapped at a museum gate: admit the holder with a reservation for the slot now open, or refuse.',
    description:
      "The museum is the gate's venue. A reservation admits from earlyEntryMinutes (rule data, 30) before its slot starts until the slot ends, once. " +
      'Free: no money moves; every decision is journaled with the rule set version. Idempotent by tapId.',
  })
  @ApiOkResponse({ type: MuseumTapAnswerDto })
  @ApiBadRequestResponse({ description: 'Malformed body, or tappedAt more than 5 minutes ahead of the service clock. Nothing is written.' })
  @ApiConflictResponse({ description: 'The tapId was used with another body.' })
  async tap(
    @Body() body: MuseumTapDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MuseumTapAnswer> {
    if (body.museumId !== undefined) actingFor(terminal, body.museumId);
    if (new Date(body.tappedAt).getTime() - this.clock.now().getTime() > MAX_TAP_CLOCK_AHEAD_MS) {
      throw Problems.validation([{ pointer: '/tappedAt', detail: 'tappedAt is more than 5 minutes ahead of the service clock' }]);
    }
    const result = await this.commands.execute(
      new TapMuseumGateCommand(body.tapId, body.cardNo, body.tappedAt, terminal.venueId!, terminal.region!, terminal.terminalId),
    );
    return sendCommandResult(reply, result);
  }
}
