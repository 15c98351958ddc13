import { IsCalendarDate, IsInstantWithOffset, ReportPageQueryDto, RuleRefDto } from '@onecard/platform';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { CARD_NO_PATTERN } from '@contexts/cards';
import { CLIENT_ID_PATTERN, REGIONS } from '@onecard/kernel';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, Validate } from 'class-validator';
import { FINE_PAYMENT_REASON_CODES, LOAN_REASON_CODES, RENEWAL_REASON_CODES, RETURN_REASON_CODES } from '../domain/library-reasons.js';
import { BARCODE_PATTERN } from '../domain/library.js';
import { LOAN_LIST_STATUSES, type LoanListStatus } from '../application/library-loans/library-loans.query.js';

const CLIENT_ID = (name: string) => ({ message: `${name} must be 1–64 characters of A–Z, a–z, 0–9, _ and -` });
const CARD_NO_MESSAGE = { message: 'cardNo must be a card number: B, T or H followed by 8 digits' };
const BARCODE_MESSAGE = { message: 'barcode must be 1–32 characters of A–Z, a–z, 0–9 and -' };
const INSTANT_EXAMPLE = '2026-03-02T10:15:00+08:00';

export class LoanRequestDto {
  @ApiProperty({ example: 'desk7-20260302-0001', pattern: CLIENT_ID_PATTERN.source, description: 'Client-generated idempotency key.' })
  @Matches(CLIENT_ID_PATTERN, CLIENT_ID('loanId'))
  loanId!: string;

  @ApiProperty({ example: 'T00000018', pattern: CARD_NO_PATTERN.source })
  @Matches(CARD_NO_PATTERN, CARD_NO_MESSAGE)
  cardNo!: string;

  @ApiProperty({ example: '12-TIANJIN-0001', pattern: BARCODE_PATTERN.source })
  @Matches(BARCODE_PATTERN, BARCODE_MESSAGE)
  barcode!: string;

  @ApiProperty({ example: INSTANT_EXAMPLE, description: 'When the item was lent at the desk; its Asia/Shanghai date starts the loan period.' })
  @Validate(IsInstantWithOffset)
  loanedAt!: string;
}

export class ReturnRequestDto {
  @ApiProperty({ example: 'desk7-20260402-0001', pattern: CLIENT_ID_PATTERN.source })
  @Matches(CLIENT_ID_PATTERN, CLIENT_ID('returnId'))
  returnId!: string;

  @ApiProperty({
    example: '12-TIANJIN-0001',
    pattern: BARCODE_PATTERN.source,
    description: 'The item identifies its loan: no card is needed to hand a book back.',
  })
  @Matches(BARCODE_PATTERN, BARCODE_MESSAGE)
  barcode!: string;

  @ApiProperty({ example: INSTANT_EXAMPLE, description: 'When it was handed in; overdue days are counted in Asia/Shanghai days up to its date.' })
  @Validate(IsInstantWithOffset)
  returnedAt!: string;
}

export class RenewalRequestDto {
  @ApiProperty({ example: 'app-20260320-0001', pattern: CLIENT_ID_PATTERN.source })
  @Matches(CLIENT_ID_PATTERN, CLIENT_ID('renewalId'))
  renewalId!: string;

  @ApiProperty({ example: 'T00000018', pattern: CARD_NO_PATTERN.source, description: 'A card of the borrower (a replacement card counts).' })
  @Matches(CARD_NO_PATTERN, CARD_NO_MESSAGE)
  cardNo!: string;

  @ApiProperty({ example: '12-TIANJIN-0001', pattern: BARCODE_PATTERN.source })
  @Matches(BARCODE_PATTERN, BARCODE_MESSAGE)
  barcode!: string;

  @ApiProperty({ example: INSTANT_EXAMPLE })
  @Validate(IsInstantWithOffset)
  renewedAt!: string;
}

export class FinePaymentRequestDto {
  @ApiProperty({ example: 'desk7-pay-0001', pattern: CLIENT_ID_PATTERN.source })
  @Matches(CLIENT_ID_PATTERN, CLIENT_ID('paymentId'))
  paymentId!: string;

  @ApiProperty({ example: 'T00000018', pattern: CARD_NO_PATTERN.source, description: 'A card of the holder; its bank account pays.' })
  @Matches(CARD_NO_PATTERN, CARD_NO_MESSAGE)
  cardNo!: string;

  @ApiPropertyOptional({ example: 500, minimum: 1, description: 'Fen to pay, oldest fines first; omitted: everything outstanding.' })
  @IsOptional()
  @IsInt({ message: 'amountFen must be an integer number of fen' })
  @Min(1)
  @Max(100_000_000)
  amountFen?: number;

  @ApiProperty({ example: INSTANT_EXAMPLE })
  @Validate(IsInstantWithOffset)
  paidAt!: string;
}

export class AddItemDto {
  @ApiProperty({ example: '12-TIANJIN-0999', pattern: BARCODE_PATTERN.source })
  @Matches(BARCODE_PATTERN, BARCODE_MESSAGE)
  barcode!: string;

  @ApiProperty({ example: 'LIB-12-TIANJIN', description: 'The owning library: a LIBRARY venue with a `network` attribute.' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'libraryId must be a venue id' })
  libraryId!: string;

  @ApiProperty({ example: '红楼梦', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/^[^\p{Cc}\p{Cf}]+$/u, { message: 'title must not contain control characters' })
  title!: string;
}

export class OnDateQueryDto {
  @ApiPropertyOptional({ example: '2026-04-01', description: 'Business day (Asia/Shanghai) for overdue counts; default today.' })
  @IsOptional()
  @Validate(IsCalendarDate)
  on?: string;
}

export class LibraryLoansQueryDto extends ReportPageQueryDto {
  @ApiPropertyOptional({ example: '2026-04-01', description: 'Business day (Asia/Shanghai) for overdue counts; default today.' })
  @IsOptional()
  @Validate(IsCalendarDate)
  on?: string;

  @ApiPropertyOptional({ enum: LOAN_LIST_STATUSES, default: 'OUTSTANDING' })
  @IsOptional()
  @IsIn(LOAN_LIST_STATUSES)
  status?: LoanListStatus;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'Only loans made on this business day or later.' })
  @IsOptional()
  @Validate(IsCalendarDate)
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Only loans made on this business day or earlier.' })
  @IsOptional()
  @Validate(IsCalendarDate)
  to?: string;
}

export class FinesQueryDto extends ReportPageQueryDto {
  @ApiPropertyOptional({ example: 'LIB-12-TIANJIN', description: 'Only this owning library.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'libraryId must be a venue id' })
  libraryId?: string;

  @ApiPropertyOptional({ example: '2026-04-01', description: 'First business day (default: today).' })
  @IsOptional()
  @Validate(IsCalendarDate)
  from?: string;

  @ApiPropertyOptional({ example: '2026-04-30', description: 'Last business day, inclusive (default: from).' })
  @IsOptional()
  @Validate(IsCalendarDate)
  to?: string;
}

// ---- answers (OpenAPI) ----

class LoanReasonDto {
  @ApiProperty({ enum: LOAN_REASON_CODES }) code!: string;
  @ApiProperty() message!: string;
}
class ReturnReasonDto {
  @ApiProperty({ enum: RETURN_REASON_CODES }) code!: string;
  @ApiProperty() message!: string;
}
class RenewalReasonDto {
  @ApiProperty({ enum: RENEWAL_REASON_CODES }) code!: string;
  @ApiProperty() message!: string;
}
class FinePaymentReasonDto {
  @ApiProperty({ enum: FINE_PAYMENT_REASON_CODES }) code!: string;
  @ApiProperty() message!: string;
}

const NULLABLE_INT = { type: Number, nullable: true } as const;
const NULLABLE_STRING = { type: String, nullable: true } as const;

export class LoanAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({ type: LoanReasonDto, description: 'Only with DENY.' }) reason?: LoanReasonDto;
  @ApiProperty() loanId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty() barcode!: string;
  @ApiProperty({ description: "The desk's library." }) libraryId!: string;
  @ApiProperty({ ...NULLABLE_STRING, format: 'date', example: '2026-04-01', description: 'Last day to return it (Asia/Shanghai, through 23:59:59+08:00).' })
  dueDate!: string | null;
  @ApiProperty({ ...NULLABLE_INT, description: "The holder's open loans from the item's network (after this one when lent)." }) loansOutstanding!:
    number | null;
  @ApiProperty({ ...NULLABLE_INT, description: "Their limit for that network (their home region's rule)." }) loanLimit!: number | null;
  @ApiProperty({ ...NULLABLE_INT, description: 'Their unpaid fines, fen.' }) finesOutstandingFen!: number | null;
  @ApiProperty({ type: RuleRefDto, nullable: true }) ruleSet!: RuleRefDto | null;
}

export class ReturnAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({ type: ReturnReasonDto, description: 'Only with DENY.' }) reason?: ReturnReasonDto;
  @ApiProperty() returnId!: string;
  @ApiProperty() barcode!: string;
  @ApiProperty({ description: "The desk's library." }) libraryId!: string;
  @ApiProperty(NULLABLE_STRING) loanId!: string | null;
  @ApiProperty(NULLABLE_STRING) cardNo!: string | null;
  @ApiProperty(NULLABLE_STRING) owningLibraryId!: string | null;
  @ApiProperty({ ...NULLABLE_STRING, format: 'date' }) dueDate!: string | null;
  @ApiProperty({ ...NULLABLE_INT, description: 'Asia/Shanghai days past the due date.' }) overdueDays!: number | null;
  @ApiProperty({ ...NULLABLE_INT, description: 'Overdue fine of this item, fen.' }) fineFen!: number | null;
  @ApiProperty({ ...NULLABLE_INT, description: "Taken from the card's bank account now." }) fineChargedFen!: number | null;
  @ApiProperty({ ...NULLABLE_INT, description: 'Left owed (bank balance short or card not usable); blocks borrowing above the threshold until paid.' })
  fineOutstandingFen!: number | null;
  @ApiProperty({ ...NULLABLE_INT, description: "The holder's unpaid fines after this return (when a fine was recorded)." }) finesOutstandingFen!: number | null;
  @ApiProperty({ type: RuleRefDto, nullable: true }) ruleSet!: RuleRefDto | null;
}

export class RenewalAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({ type: RenewalReasonDto, description: 'Only with DENY.' }) reason?: RenewalReasonDto;
  @ApiProperty() renewalId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty() barcode!: string;
  @ApiProperty(NULLABLE_STRING) loanId!: string | null;
  @ApiProperty({ ...NULLABLE_STRING, format: 'date', description: 'The due date after the renewal (ALLOW) or as it stands.' }) dueDate!: string | null;
  @ApiProperty({ ...NULLABLE_STRING, format: 'date' }) previousDueDate!: string | null;
  @ApiProperty(NULLABLE_INT) renewalsUsed!: number | null;
  @ApiProperty(NULLABLE_INT) renewalsAllowed!: number | null;
  @ApiProperty({ type: RuleRefDto, nullable: true }) ruleSet!: RuleRefDto | null;
}

export class FinePaymentAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({ type: FinePaymentReasonDto, description: 'Only with DENY.' }) reason?: FinePaymentReasonDto;
  @ApiProperty() paymentId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty({ description: 'Paid (ALLOW) or asked for (DENY), fen.' }) amountFen!: number;
  @ApiProperty(NULLABLE_INT) finesOutstandingFen!: number | null;
  @ApiProperty({ ...NULLABLE_INT, description: "The card's bank balance after the payment, fen." }) balanceFen!: number | null;
}

export class ItemDto {
  @ApiProperty() barcode!: string;
  @ApiProperty() title!: string;
  @ApiProperty() libraryId!: string;
  @ApiProperty({ example: 'TIANJIN' }) network!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ example: INSTANT_EXAMPLE }) addedAt!: string;
}

export class LibraryCirculationDto {
  @ApiProperty() libraryId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty(NULLABLE_STRING) network!: string | null;
  @ApiProperty() items!: number;
  @ApiProperty({ description: 'Its items on loan now.' }) loansOutstanding!: number;
  @ApiProperty({ description: 'Of those, past due on `on`.' }) loansOverdue!: number;
  @ApiProperty({ description: 'Overdue fines charged for its items (revenue), fen.' }) finesChargedFen!: number;
  @ApiProperty({ description: 'Still owed to it, fen.' }) finesOutstandingFen!: number;
}

export class LibrariesCirculationDto {
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty({ type: LibraryCirculationDto, isArray: true }) libraries!: LibraryCirculationDto[];
}

export class LoanViewDto {
  @ApiProperty() loanId!: string;
  @ApiProperty() barcode!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: "The item's owning library." }) libraryId!: string;
  @ApiProperty() network!: string;
  @ApiProperty({ description: 'Where it was lent.' }) deskLibraryId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty() loanedAt!: string;
  @ApiProperty({ format: 'date' }) dueDate!: string;
  @ApiProperty() renewals!: number;
  @ApiProperty({ description: 'Days past due on `on` (open) or at return.' }) overdueDays!: number;
  @ApiProperty(NULLABLE_STRING) returnedAt!: string | null;
  @ApiProperty(NULLABLE_STRING) returnLibraryId!: string | null;
  @ApiProperty(NULLABLE_INT) fineFen!: number | null;
  @ApiProperty({ type: RuleRefDto }) ruleSet!: RuleRefDto;
}

/** A loan as a report row: the loan, its rule version flattened into two columns. */
export class LoanRowDto extends OmitType(LoanViewDto, ['ruleSet'] as const) {
  @ApiProperty({ example: 'libraries.circulation.tianjin' }) ruleSetId!: string;
  @ApiProperty({ example: 2 }) ruleVersion!: number;
}

export class LibraryLoansDto {
  @ApiProperty() libraryId!: string;
  @ApiProperty({ enum: LOAN_LIST_STATUSES }) status!: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty({ type: LoanRowDto, isArray: true, description: 'One page of the loans.' }) rows!: LoanRowDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' }) nextCursor!: string | null;
}

export class FineViewDto {
  @ApiProperty({ description: 'The return that charged it.' }) fineId!: string;
  @ApiProperty() loanId!: string;
  @ApiProperty() libraryId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty() overdueDays!: number;
  @ApiProperty() finePerDayFen!: number;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ description: 'Paid from the bank at return.' }) chargedFen!: number;
  @ApiProperty({ description: 'Paid later.' }) paidFen!: number;
  @ApiProperty() outstandingFen!: number;
  @ApiProperty() chargedAt!: string;
}

export class CardLoansDto {
  @ApiProperty() cardNo!: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty() finesOutstandingFen!: number;
  @ApiProperty({ type: LoanViewDto, isArray: true, description: "The holder's loans (any of their cards), open first." }) loans!: LoanViewDto[];
  @ApiProperty({ type: FineViewDto, isArray: true, description: 'One page of the fines.' }) rows!: FineViewDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' }) nextCursor!: string | null;
}

class FinesTotalsDto {
  @ApiProperty() fines!: number;
  @ApiProperty() amountFen!: number;
  @ApiProperty() chargedFen!: number;
  @ApiProperty() paidFen!: number;
  @ApiProperty() outstandingFen!: number;
}

export class FinesReportDto {
  @ApiProperty(NULLABLE_STRING) libraryId!: string | null;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ type: FinesTotalsDto }) totals!: FinesTotalsDto;
  @ApiProperty({ type: FineViewDto, isArray: true, description: 'One page of the fines.' }) rows!: FineViewDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' }) nextCursor!: string | null;
}
