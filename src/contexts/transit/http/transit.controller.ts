import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, CLOCK, Problems, type Clock, type FieldError } from '@onecard/kernel';
import { BodyLimit, CurrentTerminal, sendCommandResult, TerminalEndpoint, type TerminalIdentity } from '@onecard/platform';
import type { FastifyReply } from 'fastify';
import { CancelSeatReservationCommand, type CancellationAnswer } from '../application/cancel-seat-reservation/cancel-seat-reservation.command.js';
import { ReserveSeatCommand, type SeatSlipAnswer } from '../application/reserve-seat/reserve-seat.command.js';
import { TapBatchCommand, type BatchAnswer } from '../application/tap-batch/tap-batch.command.js';
import { TapCardCommand, type GateContext, type TapAnswer } from '../application/tap-card/tap-card.command.js';
import { stationOf } from '../domain/network.js';
import { TimetableCache } from '../infrastructure/timetable-cache.js';
import {
  BatchAnswerDto,
  SeatCancellationAnswerDto,
  SeatCancellationDto,
  SeatReservationDto,
  SeatSlipDto,
  TAP_BATCH_BODY_LIMIT_BYTES,
  TapAnswerDto,
  TapBatchDto,
  TapDto,
} from './transit.dto.js';

/** A tap may be stamped up to this far ahead of the service clock (terminal clock drift). */
export const TAPPED_AT_FUTURE_TOLERANCE_MS = 300_000;

/**
 * The gate and seat-machine protocol (TERMINAL-API.md "Transit"). Who the terminal is, where it
 * stands and which way a gate faces come from the registry, never from the body: a body naming
 * another gate or station is a 403.
 */
@ApiTags('transit (京津城际)')
@Controller('v1/transit')
export class TransitController {
  constructor(
    private readonly commands: CommandBus,
    private readonly timetables: TimetableCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('taps')
  @HttpCode(200)
  @TerminalEndpoint('GATE')
  @ApiOperation({
    summary: "A card tapped at a gate: entry or exit by the gate's configuration.",
    description:
      'Entry (IN gate) needs an active card of a product that rides, a station in service, no open journey, a seat slip for a train leaving this ' +
      "station within 30 minutes, and a transit balance ≥ the fare to that train's terminus; it opens a journey. Exit (OUT gate) closes it: the " +
      "fare from the rule version in force at entry (free within 20 minutes at the entry station) moves from the card's transit wallet to the rail " +
      'operator. A second tap at the same gate within 10 s is DUPLICATE_TAP. Decided as of `tappedAt`. Idempotent by tapId; every decision is journaled.',
  })
  @ApiOkResponse({ type: TapAnswerDto })
  @ApiBadRequestResponse({ description: 'Malformed body, tappedAt without offset or more than 300 s ahead of the service clock. Nothing is written.' })
  @ApiForbiddenResponse({ description: 'Not a GATE, a gate without direction, or gateId ≠ X-Terminal-Id.' })
  @ApiConflictResponse({ description: 'tapId used before with another body.' })
  async tap(@Body() body: TapDto, @CurrentTerminal() terminal: TerminalIdentity, @Res({ passthrough: true }) reply: FastifyReply): Promise<TapAnswer> {
    const gate = gateOf(terminal);
    if (body.gateId !== terminal.terminalId) throw Problems.forbidden(`gateId ${body.gateId} is not this terminal (${terminal.terminalId}).`);
    const tappedAt = new Date(body.tappedAt);
    const future = this.futureTapErrors([{ tappedAt, pointer: '/tappedAt' }]);
    if (future.length > 0) throw Problems.validation(future);
    return sendCommandResult(reply, await this.commands.execute(new TapCardCommand(body.tapId, body.cardNo, tappedAt, gate)));
  }

  @Post('taps::batch')
  @HttpCode(200)
  @BodyLimit(TAP_BATCH_BODY_LIMIT_BYTES)
  @TerminalEndpoint('GATE')
  @ApiOperation({
    summary: 'Taps a gate recorded while offline (up to 1,000, any order), each answered.',
    description:
      "Every tap is this gate's (gateId = X-Terminal-Id, else 403 for the batch). Taps are grouped per card and processed in tappedAt order " +
      '(IN before OUT at one instant, then by tapId), each as if it had arrived at its tappedAt, each its own idempotent command: a tap already ' +
      'sent online or in an earlier batch replays its answer. An exit uploaded before its entry is kept and closes the journey when the entry ' +
      'arrives (ADR 0008). Answers in input order; a tapId reused with another body gets a 409 problem in its place.',
  })
  @ApiOkResponse({ type: BatchAnswerDto })
  @ApiBadRequestResponse({
    description:
      'Malformed body or tap (errors[] point at /taps/<i>/…), more than 1,000 taps, one tapId twice with different contents, or a tappedAt in the future.',
  })
  @ApiForbiddenResponse({ description: 'Not a GATE, a gate without direction, or a tap naming another gate.' })
  async batch(@Body() body: TapBatchDto, @CurrentTerminal() terminal: TerminalIdentity): Promise<BatchAnswer> {
    const gate = gateOf(terminal);
    const foreign = body.taps.findIndex((t) => t.gateId !== terminal.terminalId);
    if (foreign >= 0) throw Problems.forbidden(`taps/${foreign}: gateId ${body.taps[foreign]!.gateId} is not this terminal (${terminal.terminalId}).`);
    const errors = this.futureTapErrors(body.taps.map((t, i) => ({ tappedAt: new Date(t.tappedAt), pointer: `/taps/${i}/tappedAt` })));
    const seen = new Map<string, string>();
    body.taps.forEach((t, i) => {
      const key = `${t.cardNo}|${new Date(t.tappedAt).toISOString()}`;
      const before = seen.get(t.tapId);
      if (before !== undefined && before !== key)
        errors.push({ pointer: `/taps/${i}/tapId`, detail: `tapId ${t.tapId} appears earlier in the batch with another card or time` });
      seen.set(t.tapId, before ?? key);
    });
    if (errors.length > 0) throw Problems.validation(errors);
    return this.commands.execute(
      new TapBatchCommand(
        body.taps.map((t) => ({ tapId: t.tapId, cardNo: t.cardNo, tappedAt: new Date(t.tappedAt) })),
        gate,
      ),
    );
  }

  @Post('seat-reservations')
  @HttpCode(200)
  @TerminalEndpoint('SEAT_MACHINE')
  @ApiOperation({
    summary: 'Seat first: the next train from this station toward the destination with a free commuter seat (cars 5–6).',
    description:
      'From a seat machine at fromStation (another station: 403). A card holds one slip for a train not yet gone at a time; two slips left ' +
      'unused lock the card (TRANSIT_LOCKED) until an operator clears them. Idempotent by reservationId; journaled.',
  })
  @ApiOkResponse({ type: SeatSlipDto })
  @ApiBadRequestResponse({ description: 'Malformed body, a station the line does not have, or fromStation = toStation.' })
  @ApiForbiddenResponse({ description: "Not a SEAT_MACHINE, or fromStation is not the machine's station." })
  @ApiConflictResponse({ description: 'reservationId used before with another body.' })
  async reserve(
    @Body() body: SeatReservationDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SeatSlipAnswer> {
    if (body.fromStation !== terminal.venueId)
      throw Problems.forbidden(`This seat machine stands at ${terminal.venueId ?? 'no station'}, not at ${body.fromStation}.`);
    const errors: FieldError[] = [];
    const network = this.timetables.networkOn(body.travelDate);
    if (network) {
      if (!stationOf(network.parameters, body.fromStation)) errors.push({ pointer: '/fromStation', detail: `unknown station ${body.fromStation}` });
      if (!stationOf(network.parameters, body.toStation)) errors.push({ pointer: '/toStation', detail: `unknown station ${body.toStation}` });
    }
    if (body.fromStation === body.toStation) errors.push({ pointer: '/toStation', detail: 'toStation must differ from fromStation' });
    if (errors.length > 0) throw Problems.validation(errors);
    const result = await this.commands.execute(
      new ReserveSeatCommand(body.reservationId, body.cardNo, body.fromStation, body.toStation, body.travelDate, {
        terminalId: terminal.terminalId,
        station: terminal.venueId!,
      }),
    );
    return sendCommandResult(reply, result);
  }

  @Post('seat-reservations/:reservationId/cancellation')
  @HttpCode(200)
  @TerminalEndpoint('SEAT_MACHINE')
  @ApiOperation({
    summary: 'Cancel an unused seat slip (once per card, station and day), freeing its seat.',
    description: "At a seat machine of the slip's station (another station: 403), before the train leaves. Idempotent by cancellationId; journaled.",
  })
  @ApiParam({ name: 'reservationId', example: 'BJN-S-1-20260302-0042' })
  @ApiOkResponse({ type: SeatCancellationAnswerDto })
  @ApiBadRequestResponse({ description: 'Malformed body or reservation id.' })
  @ApiForbiddenResponse({ description: 'Not a SEAT_MACHINE, or the slip was issued at another station.' })
  async cancel(
    @Param('reservationId') reservationId: string,
    @Body() body: SeatCancellationDto,
    @CurrentTerminal() terminal: TerminalIdentity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CancellationAnswer> {
    if (!CLIENT_ID_PATTERN.test(reservationId))
      throw Problems.validation([{ pointer: '/reservationId', detail: 'reservationId must be 1–64 of [A-Za-z0-9_-]' }], 'Bad reservation id in the path.');
    if (!terminal.venueId) throw Problems.forbidden(`Seat machine ${terminal.terminalId} stands at no station.`);
    const result = await this.commands.execute(
      new CancelSeatReservationCommand(body.cancellationId, reservationId, body.cardNo, { terminalId: terminal.terminalId, station: terminal.venueId }),
    );
    return sendCommandResult(reply, result);
  }

  private futureTapErrors(taps: { tappedAt: Date; pointer: string }[]): FieldError[] {
    const limit = this.clock.now().getTime() + TAPPED_AT_FUTURE_TOLERANCE_MS;
    return taps
      .filter((t) => t.tappedAt.getTime() > limit)
      .map((t) => ({ pointer: t.pointer, detail: 'tappedAt is more than 300 s ahead of the service clock' }));
  }
}

/** The gate's station and configured direction; a gate configured without them may not tap. */
export function gateOf(terminal: TerminalIdentity): GateContext {
  if (!terminal.venueId || (terminal.direction !== 'IN' && terminal.direction !== 'OUT')) {
    throw Problems.forbidden(`Gate ${terminal.terminalId} has no configured station and direction (IN or OUT).`);
  }
  return { terminalId: terminal.terminalId, station: terminal.venueId, direction: terminal.direction };
}
