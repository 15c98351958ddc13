import { RuleRefDto } from '@onecard/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, isBusinessDate, REGIONS, type Region } from '@onecard/kernel';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { Scheme } from '../domain/card-accounts.js';
import { CARD_NO_PATTERN } from '../domain/card-number.js';
import type { CardGeneration } from '../domain/card-product.rule.js';
import { CARD_OPERATIONS, CARD_STATUSES, type CardOperation } from '../domain/card-status.js';
import { TOP_UP_ACCOUNTS, type TopUpAccount } from '../domain/top-up.rule.js';
import { IsNationalIdOf } from './national-id.validator.js';

@ValidatorConstraint({ name: 'isBusinessDate' })
class IsCalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isBusinessDate(value) && value >= '1900-01-01';
  }
  defaultMessage(): string {
    return 'birthDate must be a date YYYY-MM-DD from 1900 on';
  }
}

const NAME_PATTERN = /^[^\p{Cc}\p{Cf}]+$/u;

export class HolderDto {
  @ApiProperty({ example: '张三', description: 'Stored for the card face; answered masked (张*).' })
  @IsString()
  @Length(1, 64)
  @Matches(NAME_PATTERN, { message: 'name must not contain control characters' })
  name!: string;

  @ApiProperty({
    example: '11010519491231002X',
    description:
      '18-character national ID (GB 11643): checked (region, birth date = birthDate, check character), then kept only as a keyed hash and a masked form.',
  })
  @IsNationalIdOf('birthDate')
  nationalId!: string;

  @ApiProperty({ example: '1949-12-31', format: 'date' })
  @Validate(IsCalendarDate)
  birthDate!: string;

  @ApiProperty({ enum: REGIONS, description: 'The insuring (home) region: whose medical policy applies.' })
  @IsIn(REGIONS)
  homeRegion!: Region;

  @ApiProperty({ enum: ['EMPLOYEE', 'RESIDENT'], description: 'Employee (职工) holders get a medical personal account.' })
  @IsIn(['EMPLOYEE', 'RESIDENT'])
  scheme!: Scheme;

  @ApiProperty({ example: false })
  @IsBoolean()
  retiree!: boolean;
}

export class IssueCardDto {
  @ApiProperty({ type: HolderDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => HolderDto)
  holder!: HolderDto;

  @ApiProperty({ enum: REGIONS })
  @IsIn(REGIONS)
  issuingRegion!: Region;

  @ApiProperty({ enum: [2, 3] })
  @IsInt()
  @IsIn([2, 3])
  generation!: CardGeneration;

  @ApiProperty({ description: 'Carries the 中铁银通 rail application (a transit wallet): only Tianjin (12) third-generation cards.' })
  @IsBoolean()
  transitApp!: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Issue the card SEALED, to be activated at hand-over (POST …/status {operation: ACTIVATE}); ACTIVE otherwise.',
  })
  @IsOptional()
  @IsBoolean()
  sealed?: boolean;
}

export class CardStatusDto {
  @ApiProperty({
    enum: CARD_OPERATIONS,
    description:
      'ACTIVATE (sealed card; activating a replacement card replaces the old one and moves its balances), TEMPORARY_LOSS, FORMAL_LOSS, CANCEL_LOSS, CANCEL, LOCK / UNLOCK (application lock).',
  })
  @IsIn(CARD_OPERATIONS)
  operation!: CardOperation;
}

export class ReplaceCardDto {
  @ApiPropertyOptional({ enum: [2, 3], description: "Defaults to the old card's generation; may upgrade 2 → 3." })
  @IsOptional()
  @IsInt()
  @IsIn([2, 3])
  generation?: CardGeneration;

  @ApiPropertyOptional({ description: "Defaults to the old card's; cannot be dropped when the old card has a transit wallet." })
  @IsOptional()
  @IsBoolean()
  transitApp?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Issue SEALED: the old card is replaced (and its balances moved) when the new one is activated.' })
  @IsOptional()
  @IsBoolean()
  sealed?: boolean;
}

export class HolderLookupDto {
  @ApiProperty({ example: '11010519491231002X', description: 'Sent in the body, never in a URL that access logs keep.' })
  @IsString()
  @Matches(/^\d{17}[\dXx]$/, { message: 'nationalId must be 17 digits followed by a digit or X' })
  nationalId!: string;
}

export class MedicalCodeRequestDto {
  @ApiProperty({ example: 'T00000018', pattern: CARD_NO_PATTERN.source, description: 'Card number: region letter B/T/H + 8 digits.' })
  @Matches(CARD_NO_PATTERN, { message: 'cardNo must be a card number: B, T or H followed by 8 digits' })
  cardNo!: string;
}

class AccountBalanceDto {
  @ApiProperty({ example: 'card:T00000018:transit' })
  code!: string;
  @ApiProperty({ example: 50000, description: 'Balance in fen.' })
  balanceFen!: number;
}

class CardAccountsDto {
  @ApiProperty({ type: AccountBalanceDto })
  bank!: AccountBalanceDto;
  @ApiProperty({ type: AccountBalanceDto, nullable: true, description: 'Only with the transit application.' })
  transit!: AccountBalanceDto | null;
  @ApiProperty({ type: AccountBalanceDto, nullable: true, description: 'Employees only.' })
  personal!: AccountBalanceDto | null;
}

class MaskedHolderDto {
  @ApiProperty({ format: 'uuid' })
  holderId!: string;
  @ApiProperty({ example: '张*' })
  name!: string;
  @ApiProperty({ example: '110105********002X' })
  nationalId!: string;
  @ApiProperty({ example: 1949, description: 'Only the year: with the masked ID a full birth date would reveal the whole ID.' })
  birthYear!: number;
  @ApiProperty({ enum: REGIONS })
  homeRegion!: string;
  @ApiProperty({ enum: ['EMPLOYEE', 'RESIDENT'] })
  scheme!: string;
  @ApiProperty()
  retiree!: boolean;
}

export class CardDto {
  @ApiProperty({ example: 'T00000018' })
  cardNo!: string;
  @ApiProperty({ example: '120000D156000005A1B2C3D4E5F60718', description: '识别码: region code + D156000005 + 16 hex.' })
  identificationCode!: string;
  @ApiProperty({ enum: REGIONS })
  issuingRegion!: string;
  @ApiProperty({ enum: [2, 3] })
  generation!: number;
  @ApiProperty()
  transitApp!: boolean;
  @ApiProperty({ enum: CARD_STATUSES })
  status!: string;
  @ApiProperty({ example: '2026-03-02T08:00:00.000+08:00' })
  issuedAt!: string;
  @ApiProperty({ example: '2026-03-02T08:00:00.000+08:00' })
  statusChangedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The card this one replaced.' })
  replaces!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Its replacement (sealed or active).' })
  replacedBy!: string | null;
  @ApiProperty({ type: MaskedHolderDto })
  holder!: MaskedHolderDto;
  @ApiProperty({ type: CardAccountsDto })
  accounts!: CardAccountsDto;
}

class MovedFenDto {
  @ApiProperty() bank!: number;
  @ApiProperty() transit!: number;
  @ApiProperty() personal!: number;
}

class ReplacedDto {
  @ApiProperty() cardNo!: string;
  @ApiProperty({ type: MovedFenDto }) movedFen!: MovedFenDto;
}

export class CardStatusChangedDto {
  @ApiProperty() cardNo!: string;
  @ApiProperty({ enum: CARD_OPERATIONS }) operation!: string;
  @ApiProperty({ enum: CARD_STATUSES }) previousStatus!: string;
  @ApiProperty({ enum: CARD_STATUSES }) status!: string;
  @ApiProperty() statusChangedAt!: string;
  @ApiPropertyOptional({ type: ReplacedDto, description: 'Activating a replacement card: the card it replaced and the balances moved.' })
  replaced?: ReplacedDto;
}

export class CardReplacedDto {
  @ApiProperty() replacedCardNo!: string;
  @ApiProperty({ type: CardDto }) card!: CardDto;
  @ApiProperty({ type: MovedFenDto }) movedFen!: MovedFenDto;
}

class CardReasonDto {
  @ApiProperty({ example: 'CARD_LOST', description: 'UPPER_SNAKE reason code.' })
  code!: string;
  @ApiProperty({ example: 'The card has been reported lost.' })
  message!: string;
}

export class MedicalCodeDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] })
  decision!: string;
  @ApiPropertyOptional({ example: 'q2V1dGhpc2lzcmFuZG9t', description: 'ALLOW: the code to show as a QR; valid 60 s, single use.' })
  code?: string;
  @ApiPropertyOptional({ example: '2026-03-02T08:01:00.000+08:00' })
  expiresAt?: string;
  @ApiPropertyOptional({
    type: CardReasonDto,
    description: 'DENY: CARD_UNKNOWN, CARD_NOT_ACTIVE, CARD_LOST, CARD_CANCELLED, CARD_REPLACED or CARD_LOCKED.',
  })
  reason?: CardReasonDto;
}

export class TopUpDto {
  @ApiProperty({
    example: 'topup-20260302-0001',
    pattern: CLIENT_ID_PATTERN.source,
    description: 'Client id: the same id and body again replays the answer; another body is 409.',
  })
  @Matches(CLIENT_ID_PATTERN, { message: 'topUpId must be 1–64 of [A-Za-z0-9_-]' })
  topUpId!: string;

  @ApiProperty({ enum: TOP_UP_ACCOUNTS, description: "TRANSIT (中铁银通 wallet), BANK (the card's financial account) or PERSONAL (medical personal account)." })
  @IsIn(TOP_UP_ACCOUNTS)
  account!: TopUpAccount;

  @ApiProperty({ example: 50000, minimum: 1, description: 'Amount in fen (integer). Limits per account come from rule data cards/top-up-limits.' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountFen!: number;
}

export class TopUpAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({
    type: CardReasonDto,
    description:
      'DENY: TOP_UP_BELOW_MINIMUM, TOP_UP_ABOVE_MAXIMUM, BALANCE_CAP_EXCEEDED, NO_TRANSIT_APPLICATION, NO_PERSONAL_ACCOUNT, TOP_UP_RULES_NOT_IN_FORCE, ' +
      'or a card reason: CARD_UNKNOWN, CARD_NOT_ACTIVE, CARD_LOST, CARD_CANCELLED, CARD_REPLACED, CARD_LOCKED.',
  })
  reason?: CardReasonDto;
  @ApiProperty() topUpId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty({ enum: TOP_UP_ACCOUNTS }) account!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Balance after (ALLOW) or as it stands (DENY), fen.' }) balanceFen!: number | null;
  @ApiProperty({ type: RuleRefDto, nullable: true }) ruleSet!: RuleRefDto | null;
}
