import { CARD_NO_PATTERN } from '@contexts/cards';
import { IsCalendarDate, IsInstantWithOffset, ReportPageQueryDto } from '@onecard/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, REGIONS, type Region } from '@onecard/kernel';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min, Validate } from 'class-validator';
import { ANNUAL_PASS_REASON_CODES, SCENIC_TAP_REASON_CODES } from '../domain/scenic-reasons.js';
import { PARTICIPATION_CODE_PATTERN, SPOT_TYPES, type SpotType } from '../domain/spot.js';

const VENUE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const CARD_NO_DOC = { example: 'B00000027', pattern: CARD_NO_PATTERN.source, description: 'Card number: region letter B/T/H + 8 digits.' };
const CARD_NO_MESSAGE = { message: 'cardNo must be a card number: B, T or H followed by 8 digits' };

export class ScenicTapDto {
  @ApiProperty({
    example: 'scn-tap-000123',
    pattern: CLIENT_ID_PATTERN.source,
    description: 'Client id: the same id and body again replays the answer; another body is 409.',
  })
  @Matches(CLIENT_ID_PATTERN, { message: 'tapId must be 1–64 of [A-Za-z0-9_-]' })
  tapId!: string;

  @ApiProperty(CARD_NO_DOC)
  @Matches(CARD_NO_PATTERN, CARD_NO_MESSAGE)
  cardNo!: string;

  @ApiProperty({
    example: '2026-03-02T09:15:00+08:00',
    description:
      'When the card was read at the gate. The decision is made as of this instant: its Asia/Shanghai date is the visit date (capacity, re-entry, age, pass validity). At most 5 minutes ahead of the service clock.',
  })
  @Validate(IsInstantWithOffset)
  tappedAt!: string;

  @ApiPropertyOptional({
    example: 'SCN-11-SUMMER',
    description:
      "Optional check: the spot the gate believes it stands at. Must be the terminal's own venue (403 otherwise); the spot is always the terminal's venue.",
  })
  @IsOptional()
  @Matches(VENUE_ID_PATTERN, { message: 'spotId must be 1–64 of [A-Za-z0-9_-]' })
  spotId?: string;
}

class ScenicTapReasonDto {
  @ApiProperty({ enum: SCENIC_TAP_REASON_CODES, example: 'CAPACITY_FULL', description: 'UPPER_SNAKE reason code.' })
  code!: string;
  @ApiProperty({ example: 'The spot has reached its daily capacity.' })
  message!: string;
}

class AnnualPassReasonDto {
  @ApiProperty({ enum: ANNUAL_PASS_REASON_CODES, example: 'PASS_ALREADY_HELD', description: 'UPPER_SNAKE reason code.' })
  code!: string;
  @ApiProperty({ example: 'The holder already has this pass for the same period.' })
  message!: string;
}

export class ScenicRuleRefDto {
  @ApiProperty({ example: 'scenic.admission.beijing' }) id!: string;
  @ApiProperty({ example: 1 }) version!: number;
}

class ScenicConcessionDto {
  @ApiProperty({ enum: ['REENTRY', 'ANNUAL_PASS', 'SENIOR'] })
  kind!: string;
  @ApiProperty({
    example: 'SENIOR_70_FREE',
    description: 'SAME_DAY_REENTRY, the pass code (BJ_PARK_ANNUAL, JJJ_JOINT_ANNUAL), or the senior band from the rule data.',
  })
  code!: string;
  @ApiProperty({
    example: 'age 72 on 2026-03-02',
    description: 'What the concession rested on: the age on the visit date, the pass and its validity, the first entry.',
  })
  basis!: string;
}

export class ScenicTapAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({
    type: ScenicTapReasonDto,
    description:
      'DENY: CAPACITY_FULL (no place left today), INSUFFICIENT_BALANCE (bank account below the price), SPOT_NOT_CONFIGURED, ADMISSION_RULES_NOT_IN_FORCE, ' +
      'or a card reason: CARD_UNKNOWN, CARD_NOT_ACTIVE, CARD_LOST, CARD_CANCELLED, CARD_REPLACED, CARD_LOCKED.',
  })
  reason?: ScenicTapReasonDto;
  @ApiProperty() tapId!: string;
  @ApiProperty({ example: 'SCN-11-SUMMER' }) spotId!: string;
  @ApiProperty({ example: '2026-03-02', description: 'Asia/Shanghai date of tappedAt.' }) visitDate!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The recorded visit (ALLOW); null on DENY.' }) visitId!: string | null;
  @ApiPropertyOptional({
    enum: ['ENTRY', 'REENTRY'],
    description: 'ALLOW: first entry of the day, or a same-day re-entry (free and without taking a place when the rules say so).',
  })
  entry?: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1500,
    description: 'Admission price in fen: charged on ALLOW, what would be charged on DENY; null if refused before pricing.',
  })
  priceFen!: number | null;
  @ApiPropertyOptional({ type: ScenicConcessionDto }) concession?: ScenicConcessionDto;
  @ApiPropertyOptional({
    example: 18500,
    description: 'Bank balance after paying (priced ALLOW) or as it stands (INSUFFICIENT_BALANCE, CAPACITY_FULL of a priced entry), fen.',
  })
  balanceFen?: number;
  @ApiProperty({ type: ScenicRuleRefDto, nullable: true, description: "The spot region's admission rules that decided (null when none were in force)." })
  ruleSet!: ScenicRuleRefDto | null;
}

export class BuyAnnualPassDto {
  @ApiProperty({
    example: 'pass-2026-000017',
    pattern: CLIENT_ID_PATTERN.source,
    description: 'Client id, also the pass id: the same id and body again replays the answer; another body is 409.',
  })
  @Matches(CLIENT_ID_PATTERN, { message: 'purchaseId must be 1–64 of [A-Za-z0-9_-]' })
  purchaseId!: string;

  @ApiProperty({ example: 'BJ_PARK_ANNUAL', description: 'A pass code from the admission rule data (BJ_PARK_ANNUAL 100 yuan, JJJ_JOINT_ANNUAL 200 yuan).' })
  @Matches(PARTICIPATION_CODE_PATTERN, { message: 'passCode must be an UPPER_SNAKE code' })
  passCode!: string;

  @ApiPropertyOptional({
    enum: REGIONS,
    description: "The region that sells it; by default the one whose rules sell this code (the card's issuing region first if several do).",
  })
  @IsOptional()
  @IsIn(REGIONS)
  region?: Region;
}

export class HolderBuyAnnualPassDto extends BuyAnnualPassDto {
  @ApiProperty(CARD_NO_DOC)
  @Matches(CARD_NO_PATTERN, CARD_NO_MESSAGE)
  cardNo!: string;
}

export class AnnualPassAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({
    type: AnnualPassReasonDto,
    description:
      'DENY: PASS_NOT_SOLD, PASS_ALREADY_HELD, INSUFFICIENT_BALANCE, or a card reason: CARD_UNKNOWN, CARD_NOT_ACTIVE, CARD_LOST, CARD_CANCELLED, CARD_REPLACED, CARD_LOCKED.',
  })
  reason?: AnnualPassReasonDto;
  @ApiProperty() purchaseId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty({ example: 'BJ_PARK_ANNUAL' }) passCode!: string;
  @ApiProperty({ enum: REGIONS, nullable: true, type: String }) region!: string | null;
  @ApiPropertyOptional({ description: 'ALLOW: the pass id (= purchaseId).' }) passId?: string;
  @ApiPropertyOptional({ example: 10000 }) priceFen?: number;
  @ApiPropertyOptional({ example: '2026-03-02' }) validFrom?: string;
  @ApiPropertyOptional({ example: '2027-01-31', description: 'Last valid day (31 January of the next year by the rule data).' }) validUntil?: string;
  @ApiPropertyOptional({ example: 40000 }) balanceFen?: number;
  @ApiProperty({ type: ScenicRuleRefDto, nullable: true }) ruleSet!: ScenicRuleRefDto | null;
}

export class AnnualPassDto {
  @ApiProperty() passId!: string;
  @ApiProperty({ example: 'BJ_PARK_ANNUAL' }) passCode!: string;
  @ApiProperty({ enum: REGIONS }) soldRegion!: string;
  @ApiProperty({ example: '2026-03-02' }) validFrom!: string;
  @ApiProperty({ example: '2027-01-31' }) validUntil!: string;
  @ApiProperty() priceFen!: number;
  @ApiProperty({ example: '2026-03-02T10:00:00.000+08:00' }) purchasedAt!: string;
  @ApiProperty({ description: 'The card it was bought with; the pass belongs to the holder and admits on any card of theirs.' }) boughtWithCard!: string;
}

export class ConfigureSpotDto {
  @ApiProperty({ enum: SPOT_TYPES, description: 'PARK or SCENIC_AREA: which senior bands apply (rule data `appliesTo`).' })
  @IsIn(SPOT_TYPES)
  spotType!: SpotType;

  @ApiProperty({ example: 3000, minimum: 0, description: 'Full admission price in fen (0: a free spot).' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  basePriceFen!: number;

  @ApiProperty({ example: 20000, minimum: 1, description: 'Places per day (Asia/Shanghai); a same-day re-entry takes none.' })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  dailyCapacity!: number;

  @ApiProperty({
    type: [String],
    example: ['BJ_PARK_ANNUAL'],
    description: 'Annual-pass programmes the spot takes part in (participation codes of the rule data).',
  })
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(PARTICIPATION_CODE_PATTERN, { each: true, message: 'each participation code must be UPPER_SNAKE' })
  participation!: string[];
}

export class SpotDto {
  @ApiProperty({ example: 'SCN-11-SUMMER' }) spotId!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ enum: SPOT_TYPES }) spotType!: string;
  @ApiProperty() basePriceFen!: number;
  @ApiProperty() dailyCapacity!: number;
  @ApiProperty({ type: [String] }) participation!: string[];
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'venue:SCN-11-SUMMER:revenue' }) revenueAccount!: string;
  @ApiProperty() updatedAt!: string;
}

export class ScenicVisitsQueryDto extends ReportPageQueryDto {
  @ApiProperty({ example: '2026-03-02', description: 'First day (Asia/Shanghai).' })
  @Validate(IsCalendarDate)
  from!: string;

  @ApiPropertyOptional({ example: '2026-03-08', description: 'Last day, at most 92 days after `from`; defaults to `from`.' })
  @IsOptional()
  @Validate(IsCalendarDate)
  to?: string;

  @ApiPropertyOptional({ example: 'SCN-11-SUMMER' })
  @IsOptional()
  @Matches(VENUE_ID_PATTERN, { message: 'spotId must be 1–64 of [A-Za-z0-9_-]' })
  spotId?: string;
}

class ScenicConcessionCountDto {
  @ApiProperty({ enum: ['REENTRY', 'ANNUAL_PASS', 'SENIOR'] }) kind!: string;
  @ApiProperty({ example: 'SENIOR_60_FREE' }) code!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'Base price minus price paid, summed (fen).' }) discountFen!: number;
}

class ScenicSpotDayDto {
  @ApiProperty() date!: string;
  @ApiProperty() spotId!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty() dailyCapacity!: number;
  @ApiProperty({ description: 'Places taken.' }) capacityUsed!: number;
  @ApiProperty({ description: 'First entries.' }) entries!: number;
  @ApiProperty() reentries!: number;
  @ApiProperty() revenueFen!: number;
  @ApiProperty({ description: 'Visits admitted on a concession.' }) concessions!: number;
  @ApiProperty({ description: 'What the concessions gave away: base price − price paid (fen).' }) discountFen!: number;
}

export class ScenicDayReportDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [ScenicConcessionCountDto], description: 'Concessions granted, by kind and code, over the whole report.' })
  concessions!: ScenicConcessionCountDto[];
  @ApiProperty({ type: [ScenicSpotDayDto], description: 'One page of the rows: one per day and spot with visits.' }) rows!: ScenicSpotDayDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' }) nextCursor!: string | null;
}
