import { CARD_NO_PATTERN, MEDICAL_CODE_PATTERN } from '@contexts/cards';
import { IsCalendarDate, IsInstantWithOffset } from '@onecard/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN, REGIONS, type Region } from '@onecard/kernel';
import { MEDICAL_ITEM_CODE_PATTERN } from '@onecard/rules';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { REVERSAL_REASON_CODES, SETTLEMENT_REASON_CODES } from '../domain/medical-reasons.js';
import { VISIT_TYPES, type VisitType } from '../domain/visit.js';

const TEXT_PATTERN = /^[^\p{Cc}]+$/u;
export const MAX_ITEMS = 200;
export const MAX_QUANTITY = 10_000;
/** One million yuan: no single unit costs more; keeps every bill far inside exact integer range. */
export const MAX_UNIT_PRICE_FEN = 100_000_000;

@ValidatorConstraint({ name: 'oneCredential' })
class NotBothCredentials implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    return (args.object as CredentialDto).cardNo === undefined;
  }
  defaultMessage(): string {
    return 'give either cardNo or medicalCode, not both';
  }
}

export class CredentialDto {
  @ApiPropertyOptional({
    example: 'T00000018',
    pattern: CARD_NO_PATTERN.source,
    description: 'The social-security card number (exactly one of cardNo, medicalCode).',
  })
  @ValidateIf((o: CredentialDto) => o.medicalCode === undefined)
  @IsString()
  @Matches(CARD_NO_PATTERN, { message: 'cardNo must be a card number: B, T or H followed by 8 digits (or give medicalCode)' })
  cardNo?: string;

  @ApiPropertyOptional({
    example: 'q2V1dGhpc2lzcmFuZG9t',
    pattern: MEDICAL_CODE_PATTERN.source,
    description: 'The 医保码 from POST /v1/holder/medical-codes: valid 60 s, used by the first settlement that presents it (a pre-settlement only checks it).',
  })
  @ValidateIf((o: CredentialDto) => o.medicalCode !== undefined)
  @IsString()
  @Matches(MEDICAL_CODE_PATTERN, { message: 'medicalCode must be 20–64 of [A-Za-z0-9_-]' })
  @Validate(NotBothCredentials)
  medicalCode?: string;
}

export class ItemOverrideDto {
  @ApiProperty({
    example: 'symptoms changed since the earlier scan',
    description: 'Why the item is done (and charged) again although a recognised result exists.',
  })
  @IsString()
  @Length(1, 200)
  @Matches(TEXT_PATTERN, { message: 'reason must not contain control characters' })
  reason!: string;
}

export class BillItemDto {
  @ApiProperty({
    example: '250101015',
    pattern: MEDICAL_ITEM_CODE_PATTERN.source,
    description:
      "National service-item or drug code. Its category comes from the treatment region's catalogue, never from the terminal; a code the catalogue does not list is self-paid (C) and flagged notInCatalogue.",
  })
  @IsString()
  @Matches(MEDICAL_ITEM_CODE_PATTERN, { message: 'code must be 4–40 of [A-Z0-9.-], starting with a letter or digit' })
  code!: string;

  @ApiProperty({ example: 1, minimum: 1, maximum: MAX_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @ApiProperty({ example: 2500, minimum: 0, maximum: MAX_UNIT_PRICE_FEN, description: 'Price of one unit in fen (integer).' })
  @IsInt()
  @Min(0)
  @Max(MAX_UNIT_PRICE_FEN)
  unitPriceFen!: number;

  @ApiPropertyOptional({ type: ItemOverrideDto, description: 'Charge the item even if a recognised result of the same person exists within the window.' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ItemOverrideDto)
  override?: ItemOverrideDto;
}

export class SettlementRequestDto {
  @ApiProperty({
    example: 'st-20260302-0001',
    pattern: CLIENT_ID_PATTERN.source,
    description: 'Client id: the same id and body again replays the answer; another body is 409.',
  })
  @Matches(CLIENT_ID_PATTERN, { message: 'settlementId must be 1–64 of [A-Za-z0-9_-]' })
  settlementId!: string;

  @ApiProperty({ type: CredentialDto, description: '{cardNo} or {medicalCode}.' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CredentialDto)
  credential!: CredentialDto;

  @ApiProperty({ enum: VISIT_TYPES })
  @IsIn(VISIT_TYPES)
  visitType!: VisitType;

  @ApiProperty({ type: BillItemDto, isArray: true, minItems: 1, maxItems: MAX_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => BillItemDto)
  items!: BillItemDto[];

  @ApiProperty({
    example: '2026-03-02T09:30:00+08:00',
    description:
      'When the care was settled at the counter. Its Asia/Shanghai date picks the rule versions, the policy year of the accumulators and the recognition window.',
  })
  @Validate(IsInstantWithOffset)
  occurredAt!: string;

  @ApiPropertyOptional({
    default: true,
    description: "false: the holder declines paying from the personal account (个人账户); the patient's share is then all cash.",
  })
  @IsOptional()
  @IsBoolean()
  usePersonalAccount?: boolean;
}

export class ReversalRequestDto {
  @ApiProperty({ example: 'rv-20260302-0001', pattern: CLIENT_ID_PATTERN.source, description: 'Client id of the reversal (idempotent like any command).' })
  @Matches(CLIENT_ID_PATTERN, { message: 'reversalId must be 1–64 of [A-Za-z0-9_-]' })
  reversalId!: string;

  @ApiProperty({ example: 'wrong items entered', description: 'Why the settlement is undone (kept with the settlement).' })
  @IsString()
  @Length(1, 200)
  @Matches(TEXT_PATTERN, { message: 'reason must not contain control characters' })
  reason!: string;
}

export class MedicalCatalogueQueryDto {
  @ApiProperty({ enum: REGIONS, description: 'The treatment region whose catalogue to list.' })
  @IsIn(REGIONS)
  region!: Region;

  @ApiPropertyOptional({ example: '2026-03-02', description: 'The catalogue in force on this Asia/Shanghai day (default: today).' })
  @IsOptional()
  @Validate(IsCalendarDate)
  on?: string;
}

export class AccumulatorsQueryDto {
  @ApiProperty({ example: 'T00000018', pattern: CARD_NO_PATTERN.source, description: 'Any card of the person: accumulators are per person.' })
  @Matches(CARD_NO_PATTERN, { message: 'cardNo must be a card number: B, T or H followed by 8 digits' })
  cardNo!: string;

  @ApiPropertyOptional({ example: '2026', description: 'Calendar year (Asia/Shanghai); default: this year.' })
  @IsOptional()
  @Matches(/^2\d{3}$/, { message: 'year must be a year 2000–2999' })
  year?: string;
}

// ---- answers (OpenAPI) ----

class SettlementReasonDto {
  @ApiProperty({ enum: SETTLEMENT_REASON_CODES, example: 'MEDICAL_CODE_EXPIRED', description: 'UPPER_SNAKE reason code.' }) code!: string;
  @ApiProperty({ example: 'The medical-insurance code has expired; show a fresh one.' }) message!: string;
}

class ReversalReasonDto {
  @ApiProperty({ enum: REVERSAL_REASON_CODES, example: 'ALREADY_REVERSED', description: 'UPPER_SNAKE reason code.' }) code!: string;
  @ApiProperty({ example: 'This settlement has already been reversed.' }) message!: string;
}

class MedicalRuleRefDto {
  @ApiProperty({ example: 'medical.policy.beijing' }) id!: string;
  @ApiProperty({ example: 1 }) version!: number;
}

class RecognisedResultDto {
  @ApiProperty({ example: '250101015' }) code!: string;
  @ApiProperty({ example: 'st-20260220-0042', description: 'The earlier settlement that paid for the result.' }) settlementId!: string;
  @ApiProperty({ example: 'CLN-11-PUMCH' }) institutionId!: string;
  @ApiProperty({ example: '2026-02-20', description: 'Asia/Shanghai day the result was done.' }) performedOn!: string;
}

class SettlementItemAnswerDto {
  @ApiProperty() code!: string;
  @ApiProperty({ nullable: true, type: String, description: "The catalogue's name; null when the code is not in the catalogue." }) name!: string | null;
  @ApiProperty({ enum: ['A', 'B', 'C'], description: "From the treatment region's catalogue (unknown codes: C)." }) category!: string;
  @ApiProperty({ description: "The code is not in the treatment region's catalogue: self-paid." }) notInCatalogue!: boolean;
  @ApiProperty() quantity!: number;
  @ApiProperty() unitPriceFen!: number;
  @ApiProperty({ description: 'Charged for the line: quantity × unitPriceFen, or 0 when recognised.' }) amountFen!: number;
  @ApiProperty({ description: 'A recognised earlier result of the same person is reused: the line is charged 0.' }) recognised!: boolean;
  @ApiProperty({
    type: RecognisedResultDto,
    nullable: true,
    description: "The earlier result found in the window (reused, or set aside by the line's override).",
  })
  recognisedResult!: RecognisedResultDto | null;
  @ApiProperty({ nullable: true, type: String }) overrideReason!: string | null;
  @ApiProperty({ description: "Outside the policy: all of a C line, a B line's self-paid-first share." }) selfPaidFen!: number;
  @ApiProperty({ description: 'In policy (inscp_scp_amt).' }) inPolicyFen!: number;
  @ApiProperty({ description: 'Deductible taken from the line (act_pay_dedc).' }) deductibleFen!: number;
  @ApiProperty({ description: "Paid by the home region's fund (hifp_pay)." }) fundFen!: number;
  @ApiProperty({ description: 'Paid from the personal account (acct_pay).' }) personalAccountFen!: number;
  @ApiProperty({ description: 'Paid in cash (psn_cash_pay).' }) cashFen!: number;
}

class SettlementTermsDto {
  @ApiProperty({ enum: ['YEARLY', 'FIRST_STAY', 'LATER_STAY'] }) deductibleRule!: string;
  @ApiProperty({ description: 'The deductible the policy states for this level (and stay).' }) deductibleFen!: number;
  @ApiProperty({ description: 'What was left of it before this settlement.' }) deductibleRemainingFen!: number;
  @ApiProperty({ example: 8500, description: 'Fund share above the deductible, basis points.' }) ratioBp!: number;
  @ApiProperty({ nullable: true, type: Number }) yearlyCapFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'What the fund could still pay this year for this visit type, before this settlement.' })
  capRemainingFen!: number | null;
  @ApiProperty() capReached!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: "Inpatient: 1 for the year's first stay, 2 for the second, …" }) stayNumber!: number | null;
}

export class SettlementAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({ type: SettlementReasonDto, description: 'DENY only.' }) reason?: SettlementReasonDto;
  @ApiProperty() settlementId!: string;
  @ApiProperty({ example: 'CLN-12-TMUGH', description: "The settling terminal's clinic." }) institutionId!: string;
  @ApiProperty({ enum: VISIT_TYPES }) visitType!: string;
  @ApiProperty({ example: '2026-03-02T09:30:00.000+08:00' }) occurredAt!: string;
  @ApiProperty({
    enum: REGIONS,
    nullable: true,
    type: String,
    description: "The insured's home region, whose policy applies (null if the card was refused first).",
  })
  homeRegion!: string | null;
  @ApiProperty({ enum: REGIONS, description: "The institution's region, whose catalogue applies." }) treatmentRegion!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'medfee_sumamt (null on a DENY).' }) totalFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'fulamt_ownpay_amt + preselfpay_amt.' }) selfPaidFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'inscp_scp_amt.' }) inPolicyFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'act_pay_dedc.' }) deductibleFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'hifp_pay.' }) fundFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'acct_pay.' }) personalAccountFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'psn_cash_pay. totalFen = fundFen + personalAccountFen + cashFen.' }) cashFen!: number | null;
  @ApiProperty({
    type: SettlementItemAnswerDto,
    isArray: true,
    description: 'Per line, in request order; each line sums exactly and the lines sum to the totals. Empty on a DENY.',
  })
  items!: SettlementItemAnswerDto[];
  @ApiProperty({ type: SettlementTermsDto, nullable: true, description: "How the home region's policy applied (null on a DENY)." })
  policy!: SettlementTermsDto | null;
  @ApiProperty({ type: MedicalRuleRefDto, nullable: true, description: "The home region's policy (参保地政策) that decided." })
  ruleSet!: MedicalRuleRefDto | null;
  @ApiProperty({ type: MedicalRuleRefDto, nullable: true, description: "The treatment region's catalogue (就医地目录) that priced the items." })
  catalogue!: MedicalRuleRefDto | null;
}

export class ReversalAnswerDto {
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiPropertyOptional({ type: ReversalReasonDto, description: 'DENY only.' }) reason?: ReversalReasonDto;
  @ApiProperty() reversalId!: string;
  @ApiProperty() settlementId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'ALREADY_REVERSED: the reversal that stands.' }) reversedBy!: string | null;
  @ApiProperty({ nullable: true, type: Number }) totalFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: "Back to the home region's fund." }) fundFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Back to the personal account.' }) personalAccountFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Back to the patient.' }) cashFen!: number | null;
  @ApiProperty({ type: MedicalRuleRefDto, nullable: true }) ruleSet!: MedicalRuleRefDto | null;
}

class MedicalCatalogueItemDto {
  @ApiProperty({ example: '250101015' }) code!: string;
  @ApiProperty({ example: '血细胞分析 Complete blood count' }) name!: string;
  @ApiProperty({ enum: ['DRUG', 'CONSULTATION', 'LAB', 'IMAGING', 'TREATMENT'] }) type!: string;
  @ApiProperty({ enum: ['A', 'B', 'C'] }) category!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Category B: the self-paid-first share, basis points.' }) selfPaidFirstBp!: number | null;
  @ApiProperty({ enum: ['lab', 'imaging'], nullable: true, type: String, description: 'Mutually recognised result.' }) recognised!: string | null;
}

export class MedicalCatalogueAnswerDto {
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ example: '2026-03-02' }) on!: string;
  @ApiProperty({ type: MedicalRuleRefDto }) ruleSet!: MedicalRuleRefDto;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ nullable: true, type: String }) effectiveTo!: string | null;
  @ApiProperty({ example: 30 }) recognitionWindowDays!: number;
  @ApiProperty({ example: { selfPaidFirstBp: 1000 } }) categoryB!: { selfPaidFirstBp: number };
  @ApiProperty({ type: MedicalCatalogueItemDto, isArray: true }) items!: MedicalCatalogueItemDto[];
}

class MedicalInstitutionSettlementDto {
  @ApiProperty() settlementId!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() terminalId!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty({ enum: REGIONS }) homeRegion!: string;
  @ApiProperty({ enum: VISIT_TYPES }) visitType!: string;
  @ApiProperty() totalFen!: number;
  @ApiProperty() fundFen!: number;
  @ApiProperty() personalAccountFen!: number;
  @ApiProperty() cashFen!: number;
  @ApiProperty() reversed!: boolean;
}

class MedicalDayTotalsDto {
  @ApiProperty({ description: 'Standing settlements.' }) settlements!: number;
  @ApiProperty() reversed!: number;
  @ApiProperty() totalFen!: number;
  @ApiProperty() fundFen!: number;
  @ApiProperty() personalAccountFen!: number;
  @ApiProperty() cashFen!: number;
}

export class InstitutionDayAnswerDto {
  @ApiProperty() institutionId!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: MedicalDayTotalsDto, description: 'Over the whole range; reversed settlements excluded.' }) totals!: MedicalDayTotalsDto;
  @ApiProperty({ type: MedicalInstitutionSettlementDto, isArray: true, description: 'One page of the settlements.' }) rows!: MedicalInstitutionSettlementDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' }) nextCursor!: string | null;
}

class MedicalHomeOutflowDto {
  @ApiProperty({ enum: REGIONS }) homeRegion!: string;
  @ApiProperty() settlements!: number;
  @ApiProperty({ description: "Paid by the region's pooled fund." }) fundFen!: number;
  @ApiProperty({ description: "Paid from its insured's personal accounts." }) personalAccountFen!: number;
}

class MedicalFlowDto {
  @ApiProperty({ enum: REGIONS }) homeRegion!: string;
  @ApiProperty({ enum: REGIONS }) institutionRegion!: string;
  @ApiProperty() settlements!: number;
  @ApiProperty() totalFen!: number;
  @ApiProperty() fundFen!: number;
  @ApiProperty() personalAccountFen!: number;
  @ApiProperty() cashFen!: number;
}

class MedicalOwedDto {
  @ApiProperty({ enum: REGIONS }) homeRegion!: string;
  @ApiProperty({ enum: REGIONS }) institutionRegion!: string;
  @ApiProperty({ description: 'fund + personal account paid to institutions of the other region.' }) owedFen!: number;
}

class MedicalNetDto {
  @ApiProperty({ enum: REGIONS }) payer!: string;
  @ApiProperty({ enum: REGIONS }) payee!: string;
  @ApiProperty() amountFen!: number;
}

class MedicalClearingDto {
  @ApiProperty({ type: MedicalOwedDto, isArray: true }) owed!: MedicalOwedDto[];
  @ApiProperty({ type: MedicalNetDto, isArray: true, description: 'Per pair of regions, what one owes the other after netting.' }) net!: MedicalNetDto[];
}

export class FundOutflowAnswerDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: MedicalHomeOutflowDto, isArray: true }) byHomeRegion!: MedicalHomeOutflowDto[];
  @ApiProperty({ type: MedicalClearingDto }) clearing!: MedicalClearingDto;
  @ApiProperty({ type: MedicalFlowDto, isArray: true, description: 'One page of the flows (home × institution region).' }) rows!: MedicalFlowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AccumulatorsAnswerDto {
  @ApiProperty() cardNo!: string;
  @ApiProperty({ enum: REGIONS }) homeRegion!: string;
  @ApiProperty({ enum: ['EMPLOYEE', 'RESIDENT'] }) scheme!: string;
  @ApiProperty() retiree!: boolean;
  @ApiProperty() year!: number;
  @ApiProperty() outpatientDeductibleFen!: number;
  @ApiProperty() inpatientDeductibleFen!: number;
  @ApiProperty() outpatientFundFen!: number;
  @ApiProperty() inpatientFundFen!: number;
  @ApiProperty() inpatientStays!: number;
  @ApiProperty() settlements!: number;
  @ApiProperty({ nullable: true, type: String }) updatedAt!: string | null;
}
