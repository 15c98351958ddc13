import { RuleRefDto } from '@onecard/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RULE_REGIONS, SOURCE_TAGS, type RuleRegion } from '@onecard/rules';
import { IsIn, IsOptional, Matches } from 'class-validator';

const NAME = /^[a-z][a-z0-9-]*$/;
const COMMAND_TYPE = /^[a-z]+(\.[a-z-]+)+$/;

export class ListRuleSetsQueryDto {
  @ApiPropertyOptional({ example: 'transit' })
  @IsOptional()
  @Matches(NAME, { message: 'context is a lower-case name such as transit' })
  context?: string;

  @ApiPropertyOptional({ example: 'network' })
  @IsOptional()
  @Matches(NAME, { message: 'kind is a lower-case name such as network' })
  kind?: string;

  @ApiPropertyOptional({ enum: RULE_REGIONS, description: 'Only rule sets of this region (ALL: the ones for every region).' })
  @IsOptional()
  @IsIn(RULE_REGIONS)
  region?: RuleRegion;
}

export class CommandTypeQueryDto {
  @ApiPropertyOptional({ example: 'transit.tap', description: 'The command type, when several commands used the same id.' })
  @IsOptional()
  @Matches(COMMAND_TYPE, { message: 'type is a dotted command type such as transit.tap' })
  type?: string;
}

const STATUS = ['IN_FORCE', 'SCHEDULED', 'SUPERSEDED', 'EXPIRED'];

export class RuleSetSummaryDto {
  @ApiProperty({ example: 'transit.jingjin', description: 'The family: one per (context, kind, region); decisions record it with the version.' })
  id!: string;

  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({ example: 'transit' })
  context!: string;

  @ApiProperty({ example: 'network' })
  kind!: string;

  @ApiProperty({ enum: RULE_REGIONS })
  region!: string;

  @ApiProperty({ example: '2027-01-01', description: 'First business day in force (from 00:00:00+08:00).' })
  effectiveFrom!: string;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'Last business day in force (through 23:59:59.999+08:00), or null.' })
  effectiveTo!: string | null;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;

  @ApiProperty({
    enum: STATUS,
    description: 'Today (Asia/Shanghai): IN_FORCE for its family, SCHEDULED (starts later), SUPERSEDED by a higher version, or EXPIRED (past effectiveTo).',
  })
  status!: string;

  @ApiProperty({ example: 'a3f1…', description: 'SHA-256 of the canonical JSON of the content; never changes.' })
  contentSha256!: string;

  @ApiProperty({ example: '2026-11-29T08:00:00.000Z' })
  publishedAt!: string;

  @ApiProperty({ example: 'rules-directory', description: '`rules-directory` for files loaded at start, else the operator actor.' })
  publishedBy!: string;

  @ApiProperty({ example: 'rules/transit/all/network.v2.yaml', nullable: true, type: String })
  sourceFile!: string | null;
}

export class RuleSetViewDto extends RuleSetSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: [...SOURCE_TAGS] }, example: { '': 'E', '/fares/BJN/TJN': 'S' } })
  sources!: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "Validated by the kind's schema." })
  parameters!: Record<string, unknown>;
}

/** Documents the publish body; it is validated by the rule kind's zod schema, not by class-validator. */
export class PublishRuleSetDto {
  @ApiProperty({ example: 'transit.jingjin', description: 'Family id, starting with the context.' })
  id!: string;

  @ApiProperty({ example: 3, description: 'Exactly the next version of the family (1 for a new family).' })
  version!: number;

  @ApiProperty({ example: 'transit' })
  context!: string;

  @ApiProperty({
    example: 'network',
    description:
      'A kind a module registered (transit/network, medical/policy, medical/catalogue, scenic/admission, museums/booking, libraries/circulation, cards/top-up-limits, …).',
  })
  kind!: string;

  @ApiProperty({ enum: RULE_REGIONS })
  region!: string;

  @ApiProperty({ example: '2027-03-01', description: 'After today in Asia/Shanghai; must not start before a published version starts if it would overlap it.' })
  effectiveFrom!: string;

  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  effectiveTo?: string | null;

  @ApiPropertyOptional()
  description?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: [...SOURCE_TAGS] },
    example: { '': 'E', '/fares/BJN/TJN': 'S' },
    description: 'JSON pointer into parameters → S | 3P | E; "" is the default; every parameter must end up tagged.',
  })
  sources!: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: true })
  parameters!: Record<string, unknown>;
}

class ExplainedRuleSetDto extends RuleRefDto {
  @ApiProperty({ example: 'transit' })
  context!: string;

  @ApiProperty({ example: 'network' })
  kind!: string;

  @ApiProperty({ example: 'ALL' })
  region!: string;

  @ApiProperty({ example: '2026-01-01' })
  effectiveFrom!: string;

  @ApiProperty({ nullable: true, type: String })
  effectiveTo!: string | null;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;
}

class JournalReasonDto {
  @ApiProperty({ example: 'INSUFFICIENT_BALANCE' })
  code!: string;

  @ApiProperty({ nullable: true, type: String })
  message!: string | null;
}

class DecisionDetailsDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the command asked (no personal data).' })
  input!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'State read at decision time.' })
  facts!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The computed outcome.' })
  outcome!: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'fare.od-table', description: 'The rule that produced the outcome.' })
  rule?: string;
}

export class DecisionExplanationDto {
  @ApiProperty({ example: 'tap-20260302-0001' })
  commandId!: string;

  @ApiProperty({ example: 'transit.tap' })
  commandType!: string;

  @ApiProperty({ example: 'transit' })
  context!: string;

  @ApiProperty({ enum: ['ALLOW', 'DENY'] })
  decision!: string;

  @ApiProperty({ type: JournalReasonDto, nullable: true })
  reason!: JournalReasonDto | null;

  @ApiProperty({ nullable: true, type: String, example: 'TJN-G-OUT-1' })
  terminalId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  actor!: string | null;

  @ApiProperty({ example: '2026-03-02T00:05:00.000Z' })
  eventTime!: string;

  @ApiProperty({ example: '2026-03-02T00:05:00.120Z' })
  committedAt!: string;

  @ApiProperty({ type: ExplainedRuleSetDto, nullable: true, description: 'The rule set version the decision recorded (with its description).' })
  ruleSet!: ExplainedRuleSetDto | null;

  @ApiProperty({ type: DecisionDetailsDto, nullable: true })
  details!: DecisionDetailsDto | null;
}

export class ReplayReportDto {
  @ApiProperty({ description: 'The recomputed outcome equals the recorded one (canonical JSON).' })
  match!: boolean;

  @ApiProperty({ example: 'transit.tap' })
  commandType!: string;

  @ApiProperty({ example: 'tap-20260302-0001' })
  commandId!: string;

  @ApiProperty({ type: RuleRefDto, nullable: true })
  ruleSet!: RuleRefDto | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  recorded!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true })
  recomputed!: Record<string, unknown>;
}
