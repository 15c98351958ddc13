import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsCalendarDate, IsInstantWithOffset, ReportRangeQueryDto } from '@onecard/platform';
import { CARD_NO_PATTERN } from '@contexts/cards';
import { CLIENT_ID_PATTERN } from '@onecard/kernel';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min, Validate, ValidateNested } from 'class-validator';
import { JOURNEY_LIST_STATUSES, type JourneyListStatus } from '../application/journey-reports/journey-reports.query.js';
import { TRANSIT_REASON_CODES } from '../domain/transit-reasons.js';

export const STATION_CODE_PATTERN = /^[A-Z]{3}$/;
export const MAX_BATCH_TAPS = 1000;
/** 1,000 taps with long ids and offsets are at most ~230 KB of JSON; the 64 KiB default would refuse them. */
export const TAP_BATCH_BODY_LIMIT_BYTES = 512 * 1024;

const clientId = (name: string, example: string) =>
  ApiProperty({
    example,
    pattern: CLIENT_ID_PATTERN.source,
    description: `${name}: client id, 1–64 of [A-Za-z0-9_-]. The same id and body again replays the answer; another body is 409.`,
  });
const cardNoProperty = () => ApiProperty({ example: 'T00000018', pattern: CARD_NO_PATTERN.source, description: 'Card number: B/T/H + 8 digits.' });

export class TapDto {
  @clientId('tapId', 'BJN-G-IN-1-20260302-000731')
  @Matches(CLIENT_ID_PATTERN, { message: 'tapId must be 1–64 of [A-Za-z0-9_-]' })
  tapId!: string;

  @cardNoProperty()
  @Matches(CARD_NO_PATTERN, { message: 'cardNo must be a card number: B, T or H followed by 8 digits' })
  cardNo!: string;

  @ApiProperty({ example: 'BJN-G-IN-1', description: "The gate's own terminal id: must equal X-Terminal-Id (else 403)." })
  @Matches(CLIENT_ID_PATTERN, { message: 'gateId must be a terminal id, 1–64 of [A-Za-z0-9_-]' })
  gateId!: string;

  @ApiProperty({
    example: '2026-03-02T07:41:09+08:00',
    description:
      "When the card was read: the tap's business time (rules, seat-slip window, fares are taken as of it). ISO-8601 with offset; " +
      'more than 300 s ahead of the service clock is refused (400).',
  })
  @Validate(IsInstantWithOffset)
  tappedAt!: string;
}

export class TapBatchDto {
  @ApiProperty({ type: TapDto, isArray: true, minItems: 1, maxItems: MAX_BATCH_TAPS, description: 'Taps recorded offline by this gate, in any order.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_TAPS)
  @ValidateNested({ each: true })
  @Type(() => TapDto)
  taps!: TapDto[];
}

export class SeatReservationDto {
  @clientId('reservationId', 'BJN-S-1-20260302-0042')
  @Matches(CLIENT_ID_PATTERN, { message: 'reservationId must be 1–64 of [A-Za-z0-9_-]' })
  reservationId!: string;

  @cardNoProperty()
  @Matches(CARD_NO_PATTERN, { message: 'cardNo must be a card number: B, T or H followed by 8 digits' })
  cardNo!: string;

  @ApiProperty({ example: 'BJN', description: "Station code; must be the seat machine's own station (else 403)." })
  @Matches(STATION_CODE_PATTERN, { message: 'fromStation must be a station code' })
  fromStation!: string;

  @ApiProperty({ example: 'TJN', description: 'Destination station code (a station of the line, not fromStation).' })
  @Matches(STATION_CODE_PATTERN, { message: 'toStation must be a station code' })
  toStation!: string;

  @ApiProperty({ example: '2026-03-02', format: 'date', description: 'Business day (Asia/Shanghai): today or up to bookingDaysAhead days after.' })
  @Validate(IsCalendarDate)
  travelDate!: string;
}

export class SeatCancellationDto {
  @clientId('cancellationId', 'BJN-S-1-20260302-0043')
  @Matches(CLIENT_ID_PATTERN, { message: 'cancellationId must be 1–64 of [A-Za-z0-9_-]' })
  cancellationId!: string;

  @cardNoProperty()
  @Matches(CARD_NO_PATTERN, { message: 'cardNo must be a card number: B, T or H followed by 8 digits' })
  cardNo!: string;
}

export class LockClearanceDto {
  @clientId('clearanceId', 'window-TJN-20260302-7')
  @Matches(CLIENT_ID_PATTERN, { message: 'clearanceId must be 1–64 of [A-Za-z0-9_-]' })
  clearanceId!: string;
}

export class JourneyResolutionDto {
  @clientId('resolutionId', 'window-TJN-20260302-8')
  @Matches(CLIENT_ID_PATTERN, { message: 'resolutionId must be 1–64 of [A-Za-z0-9_-]' })
  resolutionId!: string;

  @ApiProperty({ example: 'TJN', description: 'Where the holder says they left the railway.' })
  @Matches(STATION_CODE_PATTERN, { message: 'exitStation must be a station code' })
  exitStation!: string;
}

export class IncompleteChargeRunDto {
  @ApiProperty({ example: '2026-03-10T00:00:00+08:00', description: 'Charge journeys whose 7 days have passed by this instant.' })
  @Validate(IsInstantWithOffset)
  asOf!: string;
}

export class DateQueryDto {
  @ApiProperty({ example: '2026-03-02', format: 'date' })
  @Validate(IsCalendarDate)
  date!: string;
}

export class TimetableQueryDto extends DateQueryDto {
  @ApiPropertyOptional({ example: 'BJN', description: 'Only trains calling here (and, with `to`, going on there).' })
  @IsOptional()
  @Matches(STATION_CODE_PATTERN, { message: 'from must be a station code' })
  from?: string;

  @ApiPropertyOptional({ example: 'TJN' })
  @IsOptional()
  @Matches(STATION_CODE_PATTERN, { message: 'to must be a station code' })
  to?: string;
}

export class JourneyListQueryDto extends ReportRangeQueryDto {
  @ApiProperty({ enum: JOURNEY_LIST_STATUSES, description: "UNRESOLVED: open longer than the rule data's threshold (missing tap-out), as of now." })
  @IsIn(JOURNEY_LIST_STATUSES)
  status!: JourneyListStatus;
}

export class LimitQueryDto {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

// --- answers (OpenAPI only) ---

export class TransitReasonDto {
  @ApiProperty({ enum: TRANSIT_REASON_CODES, example: 'NO_SEAT_SLIP', description: 'UPPER_SNAKE reason code.' })
  code!: string;
  @ApiProperty({ example: 'No seat slip for a train leaving this station soon: get one at a seat machine first.' })
  message!: string;
}

const TAP_REASONS =
  'IN: CARD_UNKNOWN, CARD_NOT_ACTIVE, CARD_LOST, CARD_CANCELLED, CARD_REPLACED, CARD_LOCKED, CARD_PRODUCT_NOT_ELIGIBLE, NO_TRANSIT_APPLICATION, ' +
  'STATION_NOT_IN_SERVICE, DUPLICATE_TAP, JOURNEY_ALREADY_OPEN, UNRESOLVED_JOURNEY, TRANSIT_LOCKED, NO_SEAT_SLIP, INSUFFICIENT_BALANCE, RULES_NOT_IN_FORCE. ' +
  'OUT: CARD_UNKNOWN, STATION_NOT_IN_SERVICE, DUPLICATE_TAP, NO_OPEN_JOURNEY, UNRESOLVED_JOURNEY, INSUFFICIENT_BALANCE, RULES_NOT_IN_FORCE.';

export class TapAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({ type: TransitReasonDto, description: `DENY only. ${TAP_REASONS}` }) reason?: TransitReasonDto;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: "The journey opened (IN) or closed (OUT); on a DENY the card's open journey, if any.",
  })
  journeyId!: string | null;
  @ApiProperty({ enum: ['IN', 'OUT'], description: "The gate's configured direction." }) direction!: string;
  @ApiProperty({ example: 5450, description: 'Fen charged by this tap: the fare on an exit (0 within 20 minutes at the entry station); 0 on an entry.' })
  fareFen!: number;
  @ApiProperty({ nullable: true, type: Number, example: 44550, description: 'Transit wallet balance after the tap, fen; null for a card without one.' })
  balanceFen!: number | null;
}

class TapProblemDto {
  @ApiProperty({ example: '/problems/idempotency-conflict' }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 409 }) status!: number;
  @ApiPropertyOptional() detail?: string;
}

export class BatchTapAnswerDto extends TapAnswerDto {
  @ApiProperty() tapId!: string;
  @ApiPropertyOptional({ description: 'True when this tap had been processed before (same tapId and body): its stored answer.' }) replayed?: boolean;
  @ApiPropertyOptional({
    type: TapProblemDto,
    description: 'Instead of an answer: the tapId was used before with another body (409); nothing was done for this tap.',
  })
  problem?: TapProblemDto;
}

export class BatchAnswerDto {
  @ApiProperty({ type: BatchTapAnswerDto, isArray: true, description: 'One entry per uploaded tap, in input order.' }) taps!: BatchTapAnswerDto[];
}

export class SeatSlipDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({
    type: TransitReasonDto,
    description:
      'DENY only: a card reason, CARD_PRODUCT_NOT_ELIGIBLE, NO_TRANSIT_APPLICATION, STATION_NOT_IN_SERVICE, TRAVEL_DATE_NOT_BOOKABLE, TRANSIT_LOCKED, ' +
      'SLIP_ALREADY_HELD, NO_TRAIN_AVAILABLE, RULES_NOT_IN_FORCE.',
  })
  reason?: TransitReasonDto;
  @ApiProperty() reservationId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'C2013' }) trainNo!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-03-02T08:10:00.000+08:00', description: 'Departure from fromStation.' }) departsAt!:
    string | null;
  @ApiProperty({ nullable: true, type: Number, example: 5, description: 'Commuter cars are 5 and 6.' }) car!: number | null;
  @ApiProperty({ nullable: true, type: String, example: '03C' }) seat!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'TJN', description: "The train's last station: entry needs the fare to it." }) terminus!: string | null;
}

export class SeatCancellationAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({
    type: TransitReasonDto,
    description: 'DENY only: a card reason, RESERVATION_NOT_FOUND, RESERVATION_NOT_CANCELLABLE, CANCELLATION_LIMIT_REACHED.',
  })
  reason?: TransitReasonDto;
  @ApiProperty() cancellationId!: string;
  @ApiProperty() reservationId!: string;
}

export class LockClearanceAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({ type: TransitReasonDto, description: 'DENY only: CARD_UNKNOWN, NO_UNUSED_SLIPS.' }) reason?: TransitReasonDto;
  @ApiProperty() clearanceId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty({ type: String, isArray: true }) clearedReservations!: string[];
}

export class ResolutionAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({ type: TransitReasonDto, description: 'DENY only: JOURNEY_NOT_OPEN, INSUFFICIENT_BALANCE.' }) reason?: TransitReasonDto;
  @ApiProperty() resolutionId!: string;
  @ApiProperty() journeyId!: string;
  @ApiProperty() exitStation!: string;
  @ApiProperty() fareFen!: number;
  @ApiProperty({ nullable: true, type: Number }) balanceFen!: number | null;
}

class IncompleteChargeDto {
  @ApiProperty() journeyId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiProperty({ nullable: true, type: String }) reasonCode!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'TJN', description: 'The terminus of the train the holder entered for: the fare is charged to it.' })
  terminus!: string | null;
  @ApiProperty() fareFen!: number;
  @ApiProperty() chargedFen!: number;
  @ApiProperty({ description: 'Fare the wallet could not cover (no overdraft).' }) shortfallFen!: number;
  @ApiProperty() replayed!: boolean;
}

export class IncompleteChargeRunAnswerDto {
  @ApiProperty() asOf!: string;
  @ApiProperty() examined!: number;
  @ApiProperty({ type: IncompleteChargeDto, isArray: true }) charges!: IncompleteChargeDto[];
}

class TransitRuleRefDto {
  @ApiProperty({ example: 'transit.jingjin' }) id!: string;
  @ApiProperty({ example: 1 }) version!: number;
}

export class JourneyDto {
  @ApiProperty({ format: 'uuid' }) journeyId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty({ enum: ['OPEN', 'CLOSED', 'RESOLVED', 'INCOMPLETE_CHARGED'] }) status!: string;
  @ApiProperty() entryStation!: string;
  @ApiProperty() entryGate!: string;
  @ApiProperty() entryAt!: string;
  @ApiProperty() trainNo!: string;
  @ApiProperty() terminus!: string;
  @ApiProperty() reservationId!: string;
  @ApiProperty({ description: 'The fare to the terminus that entry required.' }) requiredFen!: number;
  @ApiProperty({ nullable: true, type: String }) exitStation!: string | null;
  @ApiProperty({ nullable: true, type: String }) exitGate!: string | null;
  @ApiProperty({ nullable: true, type: String }) exitAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) fareFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) chargedFen!: number | null;
  @ApiProperty({ nullable: true, enum: ['TAP', 'OPERATOR', 'INCOMPLETE_CHARGE'] }) closedBy!: string | null;
  @ApiProperty({ type: TransitRuleRefDto, description: 'The rule version in force at entry: the fare came from it.' }) ruleSet!: TransitRuleRefDto;
}

const nextCursor = () => ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' });

export class OdPairRowDto {
  @ApiProperty({ example: '2026-03-02', description: 'Entry day.' }) date!: string;
  @ApiProperty({ example: 'BJN' }) fromStation!: string;
  @ApiProperty({
    example: 'TJN',
    description: 'The exit station; for a missing tap-out charged after 7 days, the station the fare was charged to (nobody exited there).',
  })
  toStation!: string;
  @ApiProperty() journeys!: number;
  @ApiProperty({ description: 'Fares charged, fen.' }) fareFen!: number;
  @ApiProperty({
    description: "true: journeys without a tap-out, charged to their train's terminus by the 7-day job (status INCOMPLETE_CHARGED), not travelled.",
  })
  incompleteCharged!: boolean;
}

export class OdPairPageDto {
  @ApiProperty({ type: OdPairRowDto, isArray: true }) rows!: OdPairRowDto[];
  @nextCursor() nextCursor!: string | null;
}

export class StationRevenueRowDto {
  @ApiProperty({ example: '2026-03-02', description: 'The day the fares were charged.' }) date!: string;
  @ApiProperty({ example: 'BJN', description: 'Boarding station.' }) station!: string;
  @ApiProperty() journeys!: number;
  @ApiProperty({ description: 'Fen.' }) revenueFen!: number;
}

export class StationRevenuePageDto {
  @ApiProperty({ type: StationRevenueRowDto, isArray: true }) rows!: StationRevenueRowDto[];
  @nextCursor() nextCursor!: string | null;
}

export class TapsPerHourRowDto {
  @ApiProperty({ example: '2026-03-02' }) date!: string;
  @ApiProperty({ example: 7, description: 'Hour of the day, Asia/Shanghai (7 = 07:00–07:59).' }) hour!: number;
  @ApiProperty({ example: 'BJN' }) station!: string;
  @ApiProperty({ description: 'Entries into the paid area.' }) entries!: number;
  @ApiProperty({ description: 'Exits from the paid area.' }) exits!: number;
  @ApiProperty() taps!: number;
}

export class TapsPerHourPageDto {
  @ApiProperty({ type: TapsPerHourRowDto, isArray: true }) rows!: TapsPerHourRowDto[];
  @nextCursor() nextCursor!: string | null;
}

/** A journey as a report row: the journey, its rule version flattened into two columns. */
export class JourneyRowDto extends OmitType(JourneyDto, ['ruleSet'] as const) {
  @ApiProperty({ example: 'transit.jingjin' }) ruleSetId!: string;
  @ApiProperty({ example: 1 }) ruleVersion!: number;
}

export class JourneyPageDto {
  @ApiProperty({ type: JourneyRowDto, isArray: true }) rows!: JourneyRowDto[];
  @nextCursor() nextCursor!: string | null;
}

class TransitStationDto {
  @ApiProperty({ example: 'TJN' }) code!: string;
  @ApiProperty({ example: '天津' }) nameZh!: string;
  @ApiProperty({ example: 'Tianjin' }) namePinyin!: string;
  @ApiProperty({ example: 116.9 }) km!: number;
  @ApiProperty({ example: '12' }) region!: string;
  @ApiProperty() inService!: boolean;
}

class TrainCallDto {
  @ApiProperty() station!: string;
  @ApiProperty({ nullable: true, type: String }) arrivesAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) departsAt!: string | null;
}

class TrainDto {
  @ApiProperty({ example: 'C2001' }) trainNo!: string;
  @ApiProperty({ enum: ['DOWN', 'UP'], description: 'DOWN leaves Beijing, UP runs toward it.' }) direction!: string;
  @ApiProperty({ example: 'NONSTOP' }) pattern!: string;
  @ApiProperty({ type: TrainCallDto, isArray: true }) calls!: TrainCallDto[];
}

export class TimetableDto {
  @ApiProperty() date!: string;
  @ApiProperty({ type: TransitRuleRefDto }) ruleSet!: TransitRuleRefDto;
  @ApiProperty({ type: TransitStationDto, isArray: true }) stations!: TransitStationDto[];
  @ApiProperty({ type: TrainDto, isArray: true }) trains!: TrainDto[];
}
