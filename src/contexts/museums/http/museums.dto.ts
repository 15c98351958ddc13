import { CARD_NO_PATTERN } from '@contexts/cards';
import { IsCalendarDate, IsInstantWithOffset, ReportPageQueryDto } from '@onecard/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, REGIONS } from '@onecard/kernel';
import { IsInt, IsOptional, Matches, Max, Min, Validate } from 'class-validator';
import { ADMISSION_REASON_CODES, BOOKING_REASON_CODES, CANCELLATION_REASON_CODES } from '../domain/museum-reasons.js';

const VENUE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

const CARD_NO_DOC = {
  example: 'B00000027',
  pattern: CARD_NO_PATTERN.source,
  description: "Card number: region letter B/T/H + 8 digits. The reservation is the holder's (real name).",
};
const CARD_NO_MESSAGE = { message: 'cardNo must be a card number: B, T or H followed by 8 digits' };

export class MuseumReservationDto {
  @ApiProperty({
    example: 'rsv-20260303-0001',
    pattern: CLIENT_ID_PATTERN.source,
    description: 'Client id, also the reservation id: the same id and body again replays the answer; another body is 409.',
  })
  @Matches(CLIENT_ID_PATTERN, { message: 'reservationId must be 1–64 of [A-Za-z0-9_-]' })
  reservationId!: string;

  @ApiProperty(CARD_NO_DOC)
  @Matches(CARD_NO_PATTERN, CARD_NO_MESSAGE)
  cardNo!: string;

  @ApiProperty({
    example: 'MUS-11-NATIONAL',
    description: "A museum venue. From a MUSEUM_GATE (desk) it must be the terminal's own museum (403 otherwise); an id that is no museum is 400.",
  })
  @Matches(VENUE_ID_PATTERN, { message: 'museumId must be 1–64 of [A-Za-z0-9_-]' })
  museumId!: string;

  @ApiProperty({ example: '2026-03-04', description: 'The visit date (Asia/Shanghai): from today up to bookingWindowDays ahead (7), not a closed day.' })
  @Validate(IsCalendarDate)
  date!: string;

  @ApiProperty({
    example: '09:00',
    description: "The slot's start time (UTC+8) in the museum's slot pattern of that day (rule data), e.g. 09:00, 11:00, 13:00.",
  })
  @Matches(HH_MM, { message: 'slot must be a start time HH:MM' })
  slot!: string;
}

class MuseumBookingReasonDto {
  @ApiProperty({ enum: BOOKING_REASON_CODES, example: 'SLOT_FULL', description: 'UPPER_SNAKE reason code.' }) code!: string;
  @ApiProperty({ example: 'The slot is fully booked.' }) message!: string;
}

class MuseumEntryReasonDto {
  @ApiProperty({ enum: ADMISSION_REASON_CODES, example: 'TOO_EARLY', description: 'UPPER_SNAKE reason code.' }) code!: string;
  @ApiProperty({ example: 'The reservation is for a later slot; entry opens shortly before it starts.' }) message!: string;
}

class MuseumCancellationReasonDto {
  @ApiProperty({ enum: CANCELLATION_REASON_CODES, example: 'CANCELLATION_TOO_LATE', description: 'UPPER_SNAKE reason code.' }) code!: string;
  @ApiProperty({ example: 'The slot has started; the reservation can no longer be cancelled.' }) message!: string;
}

class MuseumSlotDto {
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '11:00' }) end!: string;
}

export class MuseumRuleRefDto {
  @ApiProperty({ example: 'museums.booking.beijing' }) id!: string;
  @ApiProperty({ example: 2 }) version!: number;
}

export class MuseumReservationAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({
    type: MuseumBookingReasonDto,
    description:
      'DENY: MUSEUM_NOT_BOOKABLE, MUSEUM_CLOSED, DATE_IN_PAST, BEYOND_BOOKING_WINDOW, SLOT_UNKNOWN, SLOT_ENDED, BOOKING_BANNED (3 no-shows within 90 days → 30 days), ' +
      'ALREADY_BOOKED, DAILY_LIMIT_REACHED (1 a day), MONTHLY_LIMIT_REACHED (4 a month), SLOT_FULL, BOOKING_RULES_NOT_IN_FORCE, ' +
      'or a card reason: CARD_UNKNOWN, CARD_NOT_ACTIVE, CARD_LOST, CARD_CANCELLED, CARD_REPLACED, CARD_LOCKED.',
  })
  reason?: MuseumBookingReasonDto;
  @ApiProperty() reservationId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty() museumId!: string;
  @ApiProperty({ example: '2026-03-04' }) date!: string;
  @ApiProperty({ type: MuseumSlotDto, nullable: true }) slot!: MuseumSlotDto | null;
  @ApiPropertyOptional({ enum: ['BOOKED'] }) status?: string;
  @ApiPropertyOptional({ example: '2026-04-01', description: 'BOOKING_BANNED: the last day of the ban.' }) bannedThrough?: string;
  @ApiProperty({ type: MuseumRuleRefDto, nullable: true }) ruleSet!: MuseumRuleRefDto | null;
}

export class MuseumCancellationDto {
  @ApiProperty({ example: 'cxl-20260303-0001', pattern: CLIENT_ID_PATTERN.source, description: 'Client id of the cancellation.' })
  @Matches(CLIENT_ID_PATTERN, { message: 'cancellationId must be 1–64 of [A-Za-z0-9_-]' })
  cancellationId!: string;

  @ApiProperty(CARD_NO_DOC)
  @Matches(CARD_NO_PATTERN, CARD_NO_MESSAGE)
  cardNo!: string;
}

export class MuseumCancellationAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({
    type: MuseumCancellationReasonDto,
    description: 'DENY: RESERVATION_UNKNOWN, ALREADY_CANCELLED, ALREADY_ADMITTED, CANCELLATION_TOO_LATE (the slot has started).',
  })
  reason?: MuseumCancellationReasonDto;
  @ApiProperty() cancellationId!: string;
  @ApiProperty() reservationId!: string;
  @ApiPropertyOptional({ enum: ['CANCELLED'] }) status?: string;
}

export class MuseumTapDto {
  @ApiProperty({
    example: 'mus-tap-000123',
    pattern: CLIENT_ID_PATTERN.source,
    description: 'Client id: the same id and body again replays the answer; another body is 409.',
  })
  @Matches(CLIENT_ID_PATTERN, { message: 'tapId must be 1–64 of [A-Za-z0-9_-]' })
  tapId!: string;

  @ApiProperty(CARD_NO_DOC)
  @Matches(CARD_NO_PATTERN, CARD_NO_MESSAGE)
  cardNo!: string;

  @ApiProperty({
    example: '2026-03-03T08:45:00+08:00',
    description: 'When the card was read; the entry window is judged at this instant. At most 5 minutes ahead of the service clock.',
  })
  @Validate(IsInstantWithOffset)
  tappedAt!: string;

  @ApiPropertyOptional({ example: 'MUS-11-NATIONAL', description: "Optional check: must be the terminal's own museum (403 otherwise)." })
  @IsOptional()
  @Matches(VENUE_ID_PATTERN, { message: 'museumId must be 1–64 of [A-Za-z0-9_-]' })
  museumId?: string;
}

export class MuseumTapAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({
    type: MuseumEntryReasonDto,
    description:
      'DENY: MUSEUM_CLOSED, NO_RESERVATION (none here today), TOO_EARLY (a later slot: entry opens earlyEntryMinutes before it), TOO_LATE (the slot has ended), ' +
      'ALREADY_ADMITTED, BOOKING_RULES_NOT_IN_FORCE, or a card reason: CARD_UNKNOWN, CARD_NOT_ACTIVE, CARD_LOST, CARD_CANCELLED, CARD_REPLACED, CARD_LOCKED.',
  })
  reason?: MuseumEntryReasonDto;
  @ApiProperty() tapId!: string;
  @ApiProperty() museumId!: string;
  @ApiProperty({ example: '2026-03-03' }) visitDate!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The reservation that admitted, or that a refusal is about.' }) reservationId!: string | null;
  @ApiProperty({ type: MuseumSlotDto, nullable: true }) slot!: MuseumSlotDto | null;
  @ApiProperty({ type: MuseumRuleRefDto, nullable: true }) ruleSet!: MuseumRuleRefDto | null;
}

export class ConfigureMuseumDto {
  @ApiProperty({ example: 3000, minimum: 1, description: 'Seats per timed slot.' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  slotQuota!: number;
}

export class MuseumDto {
  @ApiProperty({ example: 'MUS-11-NATIONAL' }) museumId!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty() slotQuota!: number;
  @ApiProperty() version!: number;
  @ApiProperty() updatedAt!: string;
}

export class SlotReportQueryDto extends ReportPageQueryDto {
  @ApiProperty({ example: '2026-03-03' })
  @Validate(IsCalendarDate)
  from!: string;

  @ApiPropertyOptional({ example: '2026-03-09', description: 'Defaults to `from`; at most 92 days after it.' })
  @IsOptional()
  @Validate(IsCalendarDate)
  to?: string;

  @ApiPropertyOptional({ example: 'MUS-11-NATIONAL' })
  @IsOptional()
  @Matches(VENUE_ID_PATTERN, { message: 'museumId must be 1–64 of [A-Za-z0-9_-]' })
  museumId?: string;
}

class MuseumSlotCountsDto {
  @ApiProperty() date!: string;
  @ApiProperty() museumId!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ example: '09:00' }) slotStart!: string;
  @ApiProperty({ example: '11:00' }) slotEnd!: string;
  @ApiProperty() quota!: number;
  @ApiProperty({ description: 'Live reservations: booked, admitted or no-show.' }) reserved!: number;
  @ApiProperty({ description: 'Booked, not yet admitted nor counted as a no-show.' }) open!: number;
  @ApiProperty() admitted!: number;
  @ApiProperty() noShows!: number;
  @ApiProperty() cancelled!: number;
}

class MuseumDayDto {
  @ApiProperty() museumId!: string;
  @ApiProperty() date!: string;
  @ApiProperty() reserved!: number;
  @ApiProperty({ description: 'Visits: holders admitted at the gate.' }) admitted!: number;
  @ApiProperty() noShows!: number;
  @ApiProperty() cancelled!: number;
}

export class MuseumSlotReportDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [MuseumDayDto], description: 'Per day and museum, over the whole range.' }) days!: MuseumDayDto[];
  @ApiProperty({ type: [MuseumSlotCountsDto], description: 'One page of the slots.' }) rows!: MuseumSlotCountsDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' }) nextCursor!: string | null;
}

export class NoShowRunDto {
  @ApiPropertyOptional({ example: '2026-03-03T17:00:00+08:00', description: 'Count slots that ended by this instant; defaults to the service clock.' })
  @IsOptional()
  @Validate(IsInstantWithOffset)
  asOf?: string;
}

export class NoShowRunAnswerDto {
  @ApiProperty() asOf!: string;
  @ApiProperty({ description: 'Reservations counted as no-shows by this run.' }) counted!: number;
  @ApiProperty({ description: 'Already counted by another run, or changed meanwhile.' }) skipped!: number;
  @ApiProperty({ description: 'Booking bans started by the counted no-shows.' }) bans!: number;
}
