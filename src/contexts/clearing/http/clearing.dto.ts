import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, IsInstantWithOffset, ReportPageQueryDto, ReportRangeQueryDto } from '@onecard/platform';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, Validate } from 'class-validator';

const REGION = { enum: ['11', '12', '13'], example: '11' };

export class DateParamDto {
  @ApiProperty({ example: '2026-03-02', format: 'date', description: 'Business day (Asia/Shanghai).' })
  @Validate(IsCalendarDate)
  date!: string;
}

export class MonthParamDto {
  @ApiProperty({ example: '2026-03', description: 'Calendar month YYYY-MM (Asia/Shanghai).' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month!: string;
}

export const STATEMENT_ID_PATTERN = /^(D-\d{4}-\d{2}-\d{2}|M-\d{4}-\d{2})$/;

export class StatementIdParamDto {
  @ApiProperty({ example: 'D-2026-03-02', description: 'D-<date> for a day, M-<yyyy-mm> for a month (medical).' })
  @Matches(STATEMENT_ID_PATTERN, { message: 'id must be D-YYYY-MM-DD or M-YYYY-MM' })
  id!: string;
}

export class CallIdParamDto {
  @ApiProperty({ example: 'D-2026-03-05:11-12' })
  @Matches(/^D-\d{4}-\d{2}-\d{2}:(11|12|13)-(11|12|13)$/, { message: 'callId must be D-YYYY-MM-DD:<home>-<treatment>' })
  callId!: string;
}

export class SettlementDto {
  @ApiProperty({ ...REGION, description: 'The region whose multilateral net position is settled.' })
  @IsIn(['11', '12', '13'], { message: 'region must be 11, 12 or 13' })
  region!: '11' | '12' | '13';

  @ApiProperty({ example: 'PBOC-2026030300017', description: 'The payment reference (1–64 printable characters).' })
  @Matches(/^[\x21-\x7e]{1,64}$/, { message: 'reference must be 1–64 printable ASCII characters without spaces' })
  reference!: string;

  @ApiProperty({ example: 123450, description: 'The amount paid or received, in fen: exactly the absolute net position.' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountFen!: number;

  @ApiProperty({ example: '2026-03-03T10:00:00+08:00', description: 'When the payment was made.' })
  @Validate(IsInstantWithOffset)
  paidAt!: string;
}

export class StatementsReportQueryDto extends ReportRangeQueryDto {
  @ApiPropertyOptional({ enum: ['DAY', 'MONTH'], description: 'Only day or only month (medical) statements.' })
  @IsOptional()
  @IsIn(['DAY', 'MONTH'])
  kind?: 'DAY' | 'MONTH';
}

export class StatementItemsQueryDto extends ReportPageQueryDto {}

export class ServiceLineDto {
  @ApiProperty({ example: 'medical-pool' }) line!: string;
  @ApiProperty({ example: 'Medical pooled fund' }) nameEn!: string;
  @ApiProperty({ example: '医保统筹基金' }) nameZh!: string;
  @ApiProperty({
    enum: ['DAILY', 'MONTHLY'],
    description: 'DAILY: netted and settled per day; MONTHLY (medical): drawn from the prepayment, settled per month.',
  })
  cycle!: string;
}

export class StatementLineDto {
  @ApiProperty(REGION) payer!: string;
  @ApiProperty({ ...REGION, example: '12' }) payee!: string;
  @ApiProperty({ example: 'transit' }) line!: string;
  @ApiProperty({ example: 545000, description: 'Forward legs payer → payee, fen.' }) grossFen!: number;
  @ApiProperty({ example: 100 }) count!: number;
  @ApiProperty({ example: 5450, description: 'Reversals and refunds of the flow, fen (taken off the gross).' }) reversedFen!: number;
  @ApiProperty({ example: 1 }) reversedCount!: number;
  @ApiProperty({ example: 539550 }) netFen!: number;
  @ApiProperty({ example: 0, description: 'Of the net: late items (dated in an earlier, closed day).' }) lateFen!: number;
  @ApiProperty({ example: 0, description: 'Of the net: reversals of items cleared in an earlier statement.' }) adjustmentFen!: number;
}

export class BilateralNetDto {
  @ApiProperty(REGION) payer!: string;
  @ApiProperty({ ...REGION, example: '12' }) payee!: string;
  @ApiProperty({ example: 1200 }) amountFen!: number;
}

export class NetPositionDto {
  @ApiProperty(REGION) region!: string;
  @ApiProperty({ example: -1200, description: 'Positive: the region is owed; negative: it owes. The three sum to zero.' }) netFen!: number;
}

export class NettingDto {
  @ApiProperty({ type: BilateralNetDto, isArray: true }) bilateral!: BilateralNetDto[];
  @ApiProperty({ type: NetPositionDto, isArray: true }) positions!: NetPositionDto[];
}

export class MonthlyPairDto {
  @ApiProperty(REGION) home!: string;
  @ApiProperty({ ...REGION, example: '12' }) treatment!: string;
  @ApiProperty({ example: 88000 }) amountFen!: number;
}

export class StatementTotalsDto {
  @ApiProperty() grossFen!: number;
  @ApiProperty() reversedFen!: number;
  @ApiProperty() netFen!: number;
  @ApiProperty({ description: 'Legs cleared.' }) count!: number;
  @ApiProperty() lateCount!: number;
  @ApiProperty() adjustmentCount!: number;
}

export class StatementFiguresDto {
  @ApiProperty({ type: StatementLineDto, isArray: true }) lines!: StatementLineDto[];
  @ApiProperty({ type: NettingDto, description: 'Every line together.' }) all!: NettingDto;
  @ApiProperty({
    type: NettingDto,
    description: 'The daily lines: what the close posts between region clearing accounts and what a region settles for the day.',
  })
  daily!: NettingDto;
  @ApiProperty({ type: MonthlyPairDto, isArray: true, description: 'Medical obligations home → treatment, drawn from the prepayment.' })
  monthly!: MonthlyPairDto[];
  @ApiProperty({ type: StatementTotalsDto }) totals!: StatementTotalsDto;
}

export class PrepaymentMovementDto {
  @ApiProperty(REGION) home!: string;
  @ApiProperty({ ...REGION, example: '12' }) treatment!: string;
  @ApiProperty({ description: 'The prepayment in force (rule data), fen.' }) prepaymentFen!: number;
  @ApiProperty({ description: 'Under this balance a top-up is called.' }) thresholdFen!: number;
  @ApiProperty() balanceBeforeFen!: number;
  @ApiProperty({ description: "Paid in from the home fund at the month's first close." }) topUpFen!: number;
  @ApiProperty({ description: "The day's medical obligations drawn." }) drawFen!: number;
  @ApiProperty() balanceAfterFen!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'A top-up called for this amount.' }) callFen!: number | null;
}

export class TopUpCallRefDto {
  @ApiProperty({ example: 'D-2026-03-05:11-12' }) callId!: string;
  @ApiProperty(REGION) home!: string;
  @ApiProperty({ ...REGION, example: '12' }) treatment!: string;
  @ApiProperty() amountFen!: number;
}

export class TransferDto {
  @ApiProperty({ example: 'clearing:12' }) from!: string;
  @ApiProperty({ example: 'clearing:11' }) to!: string;
  @ApiProperty() amountFen!: number;
}

export class SettlementRowDto {
  @ApiProperty({ example: 'D-2026-03-02' }) statementId!: string;
  @ApiProperty(REGION) region!: string;
  @ApiProperty({ example: 'PBOC-2026030300017' }) reference!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ example: '2026-03-03T02:00:00.000Z' }) paidAt!: string;
  @ApiProperty({ example: '2026-03-03T02:05:00.000Z' }) recordedAt!: string;
}

export class MatrixCellDto {
  @ApiProperty(REGION) payer!: string;
  @ApiProperty({ ...REGION, example: '12' }) payee!: string;
  @ApiProperty() netFen!: number;
}

export class DayStatementDto {
  @ApiProperty({ example: '2026-03-02' }) date!: string;
  @ApiProperty({ enum: ['OPEN', 'CLOSED'] }) status!: string;
  @ApiProperty({ nullable: true, type: String, example: 'D-2026-03-02' }) statementId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Hash of the statement on the statement chain.' }) hash!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ type: ServiceLineDto, isArray: true }) serviceLines!: ServiceLineDto[];
  @ApiProperty({ type: StatementFiguresDto }) figures!: StatementFiguresDto;
  @ApiProperty({ type: MatrixCellDto, isArray: true, description: 'The 3 × 3 matrix payer → payee, net over every line.' }) matrix!: MatrixCellDto[];
  @ApiProperty({ type: PrepaymentMovementDto, isArray: true }) prepayments!: PrepaymentMovementDto[];
  @ApiProperty({ type: TopUpCallRefDto, isArray: true }) topUpCalls!: TopUpCallRefDto[];
  @ApiProperty({ type: TransferDto, isArray: true, description: 'The ledger transfers the close posted.' }) transfers!: TransferDto[];
  @ApiProperty({ type: SettlementRowDto, isArray: true }) settlements!: SettlementRowDto[];
  @ApiProperty({ nullable: true, type: String, description: "A region-scoped token's region: only that side is shown." }) scope!: string | null;
}

export class ClosedStatementDto {
  @ApiProperty({ example: 'D-2026-03-02' }) statementId!: string;
  @ApiProperty({ example: 1 }) seq!: number;
  @ApiProperty({ enum: ['DAY', 'MONTH'] }) kind!: string;
  @ApiProperty({ example: '2026-03-02' }) period!: string;
  @ApiProperty() closedAt!: string;
  @ApiProperty() hash!: string;
  @ApiProperty() prevHash!: string;
  @ApiProperty({
    description: 'The frozen statement as hashed (a day: figures, prepayments, top-up calls, transfers; a month: medical lines, netting, prepayments).',
  })
  body!: object;
  @ApiProperty({ type: SettlementRowDto, isArray: true }) settlements!: SettlementRowDto[];
  @ApiProperty({ nullable: true, type: String }) scope!: string | null;
}

export class MonthPrepaymentDto {
  @ApiProperty(REGION) home!: string;
  @ApiProperty({ ...REGION, example: '12' }) treatment!: string;
  @ApiProperty() prepaymentFen!: number;
  @ApiProperty() thresholdFen!: number;
  @ApiProperty({ description: "Balance before the month's first close." }) openingFen!: number;
  @ApiProperty() toppedUpFen!: number;
  @ApiProperty({ description: 'Top-up calls paid in during the month.' }) calledInFen!: number;
  @ApiProperty() drawnFen!: number;
  @ApiProperty({ description: 'Positive: the treatment region holds it for the home region; negative: the home region owes it.' }) remainderFen!: number;
  @ApiProperty({ nullable: true, type: String }) owedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) owedTo!: string | null;
}

export class TopUpCallDto {
  @ApiProperty({ example: 'D-2026-03-05:11-12' }) callId!: string;
  @ApiProperty(REGION) home!: string;
  @ApiProperty({ ...REGION, example: '12' }) treatment!: string;
  @ApiProperty({ example: 'D-2026-03-05' }) statementId!: string;
  @ApiProperty({ example: '2026-03' }) month!: string;
  @ApiProperty() prepaymentFen!: number;
  @ApiProperty() thresholdFen!: number;
  @ApiProperty({ description: 'Balance when called.' }) balanceFen!: number;
  @ApiProperty({ description: 'Called: back to the full prepayment.' }) amountFen!: number;
  @ApiProperty() calledAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'When the home fund paid it in (null: open).' }) paidAt!: string | null;
}

export class MonthDto {
  @ApiProperty({ example: '2026-03' }) month!: string;
  @ApiProperty({ enum: ['OPEN', 'CLOSED'] }) status!: string;
  @ApiProperty({ nullable: true, type: String, example: 'M-2026-03' }) statementId!: string | null;
  @ApiProperty({ nullable: true, type: String }) hash!: string | null;
  @ApiProperty({ type: String, isArray: true, description: 'Closed days of the month.' }) days!: string[];
  @ApiProperty({ type: StatementLineDto, isArray: true }) lines!: StatementLineDto[];
  @ApiProperty({ type: NettingDto, description: "The month's medical obligations netted: what each region settles for the month." }) netting!: NettingDto;
  @ApiProperty({ type: MonthPrepaymentDto, isArray: true }) prepayments!: MonthPrepaymentDto[];
  @ApiProperty({ type: TopUpCallDto, isArray: true }) topUpCalls!: TopUpCallDto[];
  @ApiProperty({ type: SettlementRowDto, isArray: true }) settlements!: SettlementRowDto[];
  @ApiProperty({ nullable: true, type: String }) scope!: string | null;
}

export class StatementBreakDto {
  @ApiProperty() seq!: number;
  @ApiProperty() statementId!: string;
  @ApiProperty({ enum: ['SEQUENCE', 'LINK', 'BODY_HASH', 'HASH'] }) check!: string;
  @ApiProperty() expected!: string;
  @ApiProperty() found!: string;
}

export class StatementChainVerificationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'Statements checked.' }) statements!: number;
  @ApiProperty({ nullable: true, type: StatementBreakDto }) firstBreak!: StatementBreakDto | null;
}

export class PositionRowDto {
  @ApiProperty({ example: 'D-2026-03-02' }) statementId!: string;
  @ApiProperty({ enum: ['DAY', 'MONTH'] }) kind!: string;
  @ApiProperty({ example: '2026-03-02' }) period!: string;
  @ApiProperty() closedAt!: string;
  @ApiProperty(REGION) region!: string;
  @ApiProperty({ example: -1200, description: 'Positive: owed to the region; negative: it owes (daily lines for a day, medical for a month).' })
  netFen!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Confirmed settlement amount, if any.' }) settledFen!: number | null;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty({ nullable: true, type: String }) paidAt!: string | null;
  @ApiProperty({ description: "The statement's hash on the chain." }) hash!: string;
}

export class PositionPageDto {
  @ApiProperty({ type: PositionRowDto, isArray: true }) rows!: PositionRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ItemRowDto {
  @ApiProperty({ example: 'transit.tap' }) commandType!: string;
  @ApiProperty({ example: 'TJN-G-OUT-1-20260302-0042' }) commandId!: string;
  @ApiProperty({ example: 0 }) leg!: number;
  @ApiProperty({ example: 'transit' }) line!: string;
  @ApiProperty({ ...REGION, example: '12' }) payer!: string;
  @ApiProperty(REGION) payee!: string;
  @ApiProperty({ example: 5450, description: 'Fen; negative for a reversal or refund of the flow.' }) amountFen!: number;
  @ApiProperty({ example: '2026-03-02', description: 'The business day of the command (kept for a late item).' }) eventDate!: string;
  @ApiProperty({ description: 'Dated in an earlier day that was closed before it arrived.' }) late!: boolean;
  @ApiProperty({ description: 'A reversal of a command cleared in an earlier statement.' }) adjustment!: boolean;
}

export class ItemPageDto {
  @ApiProperty({ type: ItemRowDto, isArray: true }) rows!: ItemRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
