import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CARD_NO_PATTERN } from '@contexts/cards';
import { REGIONS } from '@onecard/kernel';
import { ACCOUNT_CODE_PATTERN } from '@onecard/ledger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  Matches,
  Max,
  Min,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { STATEMENT_CHAIN } from '@contexts/clearing';
import { ReportRangeQueryDto } from '@onecard/platform';
import { CURSOR_PATTERN } from '../domain/cursor.js';

const HASH_PATTERN = /^[0-9a-f]{64}$/;
const CHECKS = [
  'sequence',
  'prev-hash',
  'hash',
  'digest',
  'head',
  'group',
  'leg',
  'entry-arithmetic',
  'balance-sum',
  'balance-version',
  'balance-last',
  'balance-chain',
  'balance-rule',
  'balance-account',
];

// ——— verification and digest ———

/** A ledger chain number, or the clearing statements' chain. */
@ValidatorConstraint({ name: 'isDigestChain' })
class IsDigestChain implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return value === STATEMENT_CHAIN || (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 1023);
  }

  defaultMessage(): string {
    return `chain must be a ledger chain number 0–1023 or "${STATEMENT_CHAIN}"`;
  }
}

export class DigestItemDto {
  @ApiProperty({
    example: 3,
    oneOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', enum: [STATEMENT_CHAIN] },
    ],
    description: `A ledger chain, or "${STATEMENT_CHAIN}".`,
  })
  @Validate(IsDigestChain)
  chain!: number | typeof STATEMENT_CHAIN;

  @ApiProperty({ example: 1834, minimum: 0, description: 'Sequence number of the chain head when the digest was taken (0: the empty chain).' })
  @IsInt()
  @Min(0)
  seq!: number;

  @ApiProperty({ example: '9f2c…', pattern: HASH_PATTERN.source, description: 'Lowercase hex SHA-256 of that record.' })
  @Matches(HASH_PATTERN, { message: 'hash must be 64 lowercase hex characters' })
  hash!: string;

  @ApiPropertyOptional({
    example: '2026-03-02T00:15:02.123Z',
    description: 'As GET /v1/admin/ledger/digest gives it; ignored (a digest can be posted back as received).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

export class VerifyAgainstDigestDto {
  @ApiProperty({ type: DigestItemDto, isArray: true, description: 'An earlier digest: some or all chain heads as they were.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1024)
  @ValidateNested({ each: true })
  @Type(() => DigestItemDto)
  digest!: DigestItemDto[];
}

export class DigestHeadDto {
  @ApiProperty({
    example: 3,
    oneOf: [{ type: 'integer' }, { type: 'string', enum: [STATEMENT_CHAIN] }],
    description: `A ledger chain, or "${STATEMENT_CHAIN}" (closed clearing statements).`,
  })
  chain!: number | string;

  @ApiProperty({ example: 1834, description: 'Sequence number of the last record on the chain (0: empty).' })
  seq!: number;

  @ApiProperty({ example: '9f2c…', description: 'SHA-256 (hex) of that record; for an empty chain, of its genesis.' })
  hash!: string;

  @ApiProperty({
    example: '2026-03-02T00:15:02.123Z',
    nullable: true,
    type: String,
    description: 'When the head last moved (null: the statement chain is empty).',
  })
  at!: string | null;
}

export class LedgerBreakDto {
  @ApiProperty({ nullable: true, type: Number, example: 3, description: "Chain of the record (for a balance break, of the shard's last entry)." })
  chain!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 1203 })
  seq!: number | null;

  @ApiProperty({ enum: ['journal', 'entries', 'balances', 'chain_heads'] })
  table!: string;

  @ApiProperty({
    enum: CHECKS,
    description:
      'sequence: gap or repeat; prev-hash: broken link; hash: stored hash is not the SHA-256 of the record; digest: differs from the earlier digest; ' +
      'head: chain head does not name the last record; group: a journal record is not followed by exactly its entries; leg: not one debit and one equal credit; ' +
      'entry-arithmetic: after ≠ before + amount; balance-sum / -version / -last / -chain: a balance shard disagrees with its entries; ' +
      'balance-rule: a NON_NEGATIVE account went below zero; balance-account: balance rows, entries and accounts disagree.',
  })
  check!: string;

  @ApiProperty({ example: '5d41402abc4b2a76b9719d911017c592…' })
  expected!: string;

  @ApiProperty({ example: '7215ee9c7d9dc229d2921a40e899ec5f…' })
  found!: string;

  @ApiPropertyOptional({ example: 'card:T00000018:transit' })
  account?: string;

  @ApiPropertyOptional({ example: 0 })
  shard?: number;
}

export class ChainDto {
  @ApiProperty({ example: 3 })
  chain!: number;

  @ApiProperty({ example: 1834, description: 'Last sequence number found.' })
  seq!: number;

  @ApiProperty({ description: 'Stored hash of the last record.' })
  hash!: string;

  @ApiProperty({ example: 1834 })
  records!: number;
}

export class StatementChainCheckDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'Closed statements whose hash was recomputed.' }) statements!: number;
  @ApiProperty({ nullable: true, type: Object, description: 'seq, statementId, check (SEQUENCE, LINK, BODY_HASH, HASH), expected, found.' }) firstBreak!:
    object | null;
}

export class VerificationDto {
  @ApiProperty({ description: 'True when no check failed (ledger and clearing statement chain).' })
  ok!: boolean;

  @ApiProperty({ type: StatementChainCheckDto, description: 'The closed clearing statements’ chain (and its digest head, if posted).' })
  statementChain!: StatementChainCheckDto;

  @ApiProperty({ example: 120000, description: 'Ledger entries whose hash was recomputed.' })
  checkedEntries!: number;

  @ApiProperty({ example: 40000, description: 'Journal records whose hash was recomputed.' })
  checkedJournal!: number;

  @ApiProperty({ example: 9000, description: 'Balance shards compared with their entries.' })
  checkedBalances!: number;

  @ApiProperty({ type: ChainDto, isArray: true })
  chains!: ChainDto[];

  @ApiProperty({ example: 0, description: 'Digest entries compared (POST only).' })
  digestChecked!: number;

  @ApiPropertyOptional({ type: LedgerBreakDto, description: 'The first break found (chains in order, then balances). Absent when ok.' })
  firstBreak?: LedgerBreakDto;

  @ApiProperty({ type: LedgerBreakDto, isArray: true, description: 'Up to 100 breaks, in the order found.' })
  breaks!: LedgerBreakDto[];

  @ApiProperty({ example: 0 })
  breakCount!: number;

  @ApiProperty({ example: '2026-03-02T08:15:02.123456+08:00', description: 'The snapshot verified (database clock).' })
  asOf!: string;

  @ApiProperty({ example: 812 })
  durationMs!: number;

  @ApiProperty({ example: 147000 })
  entriesPerSecond!: number;
}

// ——— accounts, statements, card history ———

export class AccountSummaryDto {
  @ApiProperty({ example: 'card:T00000018:transit' })
  code!: string;

  @ApiProperty({ enum: REGIONS, nullable: true, type: String })
  region!: string | null;

  @ApiProperty({ example: 'CARD_TRANSIT' })
  kind!: string;

  @ApiProperty({ enum: ['NON_NEGATIVE', 'UNBOUNDED'] })
  balanceRule!: string;

  @ApiProperty({ example: 1, description: 'Balance rows (hot accounts are sharded).' })
  shards!: number;

  @ApiProperty({ example: 12050, description: 'Balance in fen (money leaves `from` and arrives in `to`; external accounts go negative).' })
  balanceFen!: number;

  @ApiProperty({ example: 17, description: 'Entries posted to the account.' })
  version!: number;

  @ApiProperty({ example: '2026-03-01T01:00:00.000Z' })
  openedAt!: string;
}

export class AccountListDto {
  @ApiProperty({ type: AccountSummaryDto, isArray: true })
  accounts!: AccountSummaryDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `after` for the next page.' })
  nextCursor!: string | null;
}

export class ListAccountsQueryDto {
  @ApiPropertyOptional({ example: 'fund:12:', description: 'Account codes starting with this.' })
  @IsOptional()
  @Matches(/^[a-z]+(:[A-Za-z0-9_.-]*)*$/, { message: 'prefix must look like the start of an account code, e.g. card: or fund:12:' })
  prefix?: string;

  @ApiPropertyOptional({ example: 'FUND' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z_]*$/, { message: 'kind is UPPER_SNAKE, e.g. CARD_TRANSIT' })
  kind?: string;

  @ApiPropertyOptional({ enum: REGIONS })
  @IsOptional()
  @IsIn(REGIONS)
  region?: string;

  @ApiPropertyOptional({ example: 100, minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ example: 'card:T00000018:transit', description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @Matches(ACCOUNT_CODE_PATTERN, { message: 'after must be an account code (a nextCursor)' })
  after?: string;
}

export class AccountCodeParamDto {
  @ApiProperty({ example: 'card:T00000018:transit', pattern: ACCOUNT_CODE_PATTERN.source })
  @Matches(ACCOUNT_CODE_PATTERN, { message: 'code must be an account code, e.g. card:T00000018:transit' })
  code!: string;
}

export class StatementQueryDto {
  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ example: '1772409600123.0.17', pattern: CURSOR_PATTERN.source, description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'before must be a nextCursor' })
  before?: string;
}

export class StatementEntryDto {
  @ApiProperty({ example: 3 }) chain!: number;
  @ApiProperty({ example: 1203 }) seq!: number;
  @ApiProperty({ example: 0 }) shard!: number;
  @ApiProperty({ example: 17, description: "The shard's version after this entry." }) accountVersion!: number;
  @ApiProperty({ example: 'transit.tap' }) commandType!: string;
  @ApiProperty({ example: 'tap-20260302-0001' }) commandId!: string;
  @ApiProperty({ example: 0 }) leg!: number;
  @ApiProperty({ example: 'operator:rail:revenue', description: 'The other side of the leg.' }) counterparty!: string;
  @ApiProperty({ example: -5450, description: 'Fen: negative when money left the account.' }) amountFen!: number;
  @ApiProperty({ example: 17500 }) balanceBeforeFen!: number;
  @ApiProperty({ example: 12050 }) balanceAfterFen!: number;
  @ApiProperty({ example: '2026-03-02T00:10:00.000Z', description: 'When it happened at the terminal.' }) eventTime!: string;
  @ApiProperty({ example: '2026-03-02T00:10:00.120Z', description: 'When the ledger recorded it.' }) committedAt!: string;
}

export class AccountStatementDto {
  @ApiProperty({ type: AccountSummaryDto })
  account!: AccountSummaryDto;

  @ApiProperty({ type: StatementEntryDto, isArray: true, description: 'Newest first.' })
  entries!: StatementEntryDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `before` for older entries.' })
  nextCursor!: string | null;
}

export class CardNoParamDto {
  @ApiProperty({ example: 'T00000018', pattern: CARD_NO_PATTERN.source })
  @Matches(CARD_NO_PATTERN, { message: 'cardNo must be a card number: B, T or H followed by 8 digits' })
  cardNo!: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ example: 200, minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ example: '1772409600123.3.1203', pattern: CURSOR_PATTERN.source, description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'after must be a nextCursor' })
  after?: string;
}

export class HistoryEntryDto {
  @ApiProperty({ example: 3 }) chain!: number;
  @ApiProperty({ example: 1204 }) seq!: number;
  @ApiProperty({ example: 0 }) leg!: number;
  @ApiProperty({ example: 'card:T00000018:transit' }) account!: string;
  @ApiProperty({ example: 'operator:rail:revenue' }) counterparty!: string;
  @ApiProperty({ example: -5450 }) amountFen!: number;
  @ApiProperty({ example: 17500 }) balanceBeforeFen!: number;
  @ApiProperty({ example: 12050 }) balanceAfterFen!: number;
  @ApiProperty({ example: 17 }) accountVersion!: number;
}

export class RuleSetRefDto {
  @ApiProperty({ example: 'transit.fares' }) id!: string;
  @ApiProperty({ example: 2 }) version!: number;
}

export class HistoryRecordDto {
  @ApiProperty({ example: 3 }) chain!: number;
  @ApiProperty({ example: 1203 }) seq!: number;
  @ApiProperty({ example: 'transit.tap' }) commandType!: string;
  @ApiProperty({ example: 'tap-20260302-0001' }) commandId!: string;
  @ApiProperty({ example: 'transit' }) context!: string;
  @ApiProperty({ example: 'TJN-G-OUT-1', nullable: true, type: String }) terminalId!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'Admin actor (role and token digest) for admin commands.' }) actor!: string | null;
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision!: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'UPPER_SNAKE reason code of a DENY.' }) reasonCode!: string | null;
  @ApiProperty({ type: RuleSetRefDto, nullable: true }) ruleSet!: RuleSetRefDto | null;
  @ApiProperty({ example: 'T00000018', nullable: true, type: String }) subject!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'The command (type:id) this one reversed.' }) reverses!: string | null;
  @ApiProperty({ example: ['11', '12'], type: String, isArray: true }) regions!: string[];
  @ApiProperty({ example: 1 }) legs!: number;
  @ApiProperty({ example: '2026-03-02T00:10:00.000Z' }) eventTime!: string;
  @ApiProperty({ example: '2026-03-02T00:10:00.120Z' }) committedAt!: string;
  @ApiProperty({ example: 200 }) httpStatus!: number;
  @ApiProperty({ nullable: true, type: Object, description: 'What decided it: input (no personal data), facts, outcome, rule.' }) details!: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: HistoryEntryDto, isArray: true, description: "Entries of this command on the card's accounts." }) entries!: HistoryEntryDto[];
}

export class CardHistoryDto {
  @ApiProperty({ example: 'T00000018' })
  cardNo!: string;

  @ApiProperty({ type: AccountSummaryDto, isArray: true })
  accounts!: AccountSummaryDto[];

  @ApiProperty({ type: HistoryRecordDto, isArray: true, description: 'In commit order. Response bodies are left out: they may carry (masked) personal data.' })
  records!: HistoryRecordDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `after` for the next page.' })
  nextCursor!: string | null;
}

// ——— reports ———

export class DenialsQueryDto extends ReportRangeQueryDto {
  @ApiPropertyOptional({ example: 'transit', description: 'Only commands of this context.' })
  @IsOptional()
  @Matches(/^[a-z][a-z-]{1,31}$/, { message: 'context must be a context name' })
  context?: string;
}

export class DenialRowDto {
  @ApiProperty({ example: '2026-03-02T08:10:00.000+08:00', description: 'When it happened at the terminal (business time).' }) eventTime!: string;
  @ApiProperty({ example: '2026-03-02T00:10:00.123Z', description: 'When the service committed it (database clock).' }) committedAt!: string;
  @ApiProperty({ example: 'transit' }) context!: string;
  @ApiProperty({ example: 'transit.tap' }) commandType!: string;
  @ApiProperty({ example: 'BJN-G-IN-1-20260302-000731' }) commandId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'BJN-G-IN-1' }) terminalId!: string | null;
  @ApiProperty({ example: 'INSUFFICIENT_BALANCE' }) reasonCode!: string;
  @ApiProperty({ nullable: true, type: String }) ruleSetId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The card number the decision is about.' }) subject!: string | null;
}

export class DenialPageDto {
  @ApiProperty({ type: DenialRowDto, isArray: true }) rows!: DenialRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class RevenueRowDto {
  @ApiProperty({ example: 'venue:SCN-11-SUMMER:revenue' }) accountCode!: string;
  @ApiProperty({ nullable: true, type: String, example: '11' }) region!: string | null;
  @ApiProperty({ example: 123400, description: 'Net credits in the range (fen): charges less refunds and reversals.' }) netFen!: number;
  @ApiProperty({ example: 42 }) entries!: number;
}

export class RevenuePageDto {
  @ApiProperty({ type: RevenueRowDto, isArray: true }) rows!: RevenueRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
