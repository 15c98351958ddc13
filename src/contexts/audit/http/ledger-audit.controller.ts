import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Problems } from '@onecard/kernel';
import type { DigestHead } from '@onecard/ledger';
import { STATEMENT_CHAIN, type StatementChainHead } from '@contexts/clearing';
import { AdminEndpoint, CurrentAdmin, reportRange, ReportRangeQueryDto, sendReport, type AdminIdentity, ReportEndpoint } from '@onecard/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditReports } from '../application/reports/audit-reports.js';
import { GetAccountStatementQuery, type AccountStatement } from '../application/get-account-statement/get-account-statement.query.js';
import { GetLedgerDigestQuery } from '../application/get-ledger-digest/get-ledger-digest.query.js';
import { ListAccountsQuery, type AccountList } from '../application/list-accounts/list-accounts.query.js';
import { VerifyLedgerQuery, type AuditVerification } from '../application/verify-ledger/verify-ledger.query.js';
import { decodeCursor } from '../domain/cursor.js';
import {
  AccountCodeParamDto,
  AccountListDto,
  AccountStatementDto,
  DenialPageDto,
  DenialsQueryDto,
  DigestHeadDto,
  ListAccountsQueryDto,
  RevenuePageDto,
  StatementQueryDto,
  VerificationDto,
  VerifyAgainstDigestDto,
} from './audit.dto.js';

const VERIFY_DESCRIPTION =
  'Recomputes every hash of the journal and the entries from the stored columns (in the service, not in SQL), checks each chain ' +
  'is gap-free and linked, each command group is one debit and one equal credit per leg and nets to zero, each balance shard ' +
  'equals the sum of its entries and its last balance_after and version, and each chain head names the last record. ' +
  'Reads one consistent snapshot, beside live traffic; takes about a second per 100,000 entries. ';

@ApiTags('admin: ledger audit')
@Controller('v1/admin/ledger')
export class LedgerAuditController {
  constructor(
    private readonly queries: QueryBus,
    private readonly reports: AuditReports,
  ) {}

  @Get('denials')
  @ReportEndpoint({
    summary: 'refused commands (DENY) that happened on days from..to (business time), newest first, with their reason codes.',
    description: 'Days are Asia/Shanghai, inclusive, at most 366. A region-scoped token sees the decisions tagged with its region.',
    type: DenialPageDto,
  })
  async denials(@Query() q: DenialsQueryDto, @CurrentAdmin() admin: AdminIdentity, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { from, until } = reportRange(q);
    await sendReport(req, reply, this.reports.denials({ from, until, region: admin.region, context: q.context ?? null }), q);
  }

  @Get('revenue')
  @ReportEndpoint({
    summary: 'net credits to every revenue account (the railway operator, scenic spots and passes, libraries) for commands dated on days from..to.',
    description: "Days are Asia/Shanghai, inclusive, at most 366. A region-scoped token sees its region's accounts.",
    type: RevenuePageDto,
  })
  async revenue(@Query() q: ReportRangeQueryDto, @CurrentAdmin() admin: AdminIdentity, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { from, until } = reportRange(q);
    await sendReport(req, reply, this.reports.revenue({ from, until, region: admin.region }), q);
  }

  @Get('verification')
  @AdminEndpoint('auditor', 'operator')
  @ApiOperation({ summary: 'Verify the whole ledger.', description: VERIFY_DESCRIPTION + 'Concurrent requests share one run.' })
  @ApiOkResponse({ type: VerificationDto, description: '`ok: false` with `firstBreak` naming the chain, sequence number, table and check, expected vs found.' })
  verify(): Promise<AuditVerification> {
    return this.queries.execute(new VerifyLedgerQuery());
  }

  @Post('verification')
  @HttpCode(200)
  @AdminEndpoint('auditor', 'operator')
  @ApiOperation({
    summary: 'Verify the whole ledger against an earlier digest.',
    description:
      VERIFY_DESCRIPTION +
      "Also compares the recomputed hash at each (chain, seq) of the digest with the digest's hash: this catches a rewrite that " +
      're-sealed every later record. Writes nothing.',
  })
  @ApiBody({ type: VerifyAgainstDigestDto })
  @ApiOkResponse({ type: VerificationDto })
  @ApiBadRequestResponse({ description: 'Malformed digest (problem+json naming each field).' })
  verifyAgainst(@Body() body: VerifyAgainstDigestDto): Promise<AuditVerification> {
    const ledger = body.digest.flatMap(({ chain, seq, hash }) => (typeof chain === 'number' ? [{ chain, seq, hash }] : []));
    const statements = body.digest.find((d) => d.chain === STATEMENT_CHAIN);
    return this.queries.execute(new VerifyLedgerQuery(ledger, statements ? { seq: statements.seq, hash: statements.hash } : null));
  }

  @Get('digest')
  @AdminEndpoint('auditor', 'operator')
  @ApiOperation({
    summary: 'The ledger digest: every chain head.',
    description:
      'Keep it outside the system; POST it to /v1/admin/ledger/verification later to prove that history up to these points is unchanged. ' +
      `The last entry is the head of the closed clearing statements' chain (chain "${STATEMENT_CHAIN}").`,
  })
  @ApiOkResponse({ type: DigestHeadDto, isArray: true })
  digest(): Promise<(DigestHead | StatementChainHead)[]> {
    return this.queries.execute(new GetLedgerDigestQuery());
  }

  @Get('accounts')
  @AdminEndpoint('auditor', 'operator')
  @ApiOperation({ summary: 'Ledger accounts by code prefix, kind and region, with balances, in code order.' })
  @ApiOkResponse({ type: AccountListDto })
  @ApiBadRequestResponse({ description: 'Bad filter or cursor.' })
  listAccounts(@Query() q: ListAccountsQueryDto): Promise<AccountList> {
    return this.queries.execute(new ListAccountsQuery({ prefix: q.prefix, kind: q.kind, region: q.region, after: q.after, limit: q.limit ?? 100 }));
  }

  @Get('accounts/:code')
  @AdminEndpoint('auditor', 'operator')
  @ApiOperation({
    summary: 'Account statement: the balance and the entries, newest first.',
    description: 'Each entry names its command, the other side of its leg, and the balance before and after on its shard.',
  })
  @ApiOkResponse({ type: AccountStatementDto })
  @ApiBadRequestResponse({ description: 'Bad account code or cursor.' })
  @ApiNotFoundResponse({ description: 'No such account.' })
  async statement(@Param() p: AccountCodeParamDto, @Query() q: StatementQueryDto): Promise<AccountStatement> {
    const before = q.before ? decodeCursor(q.before) : null;
    const statement = await this.queries.execute(new GetAccountStatementQuery(p.code, before, q.limit ?? 50));
    if (!statement) throw Problems.notFound(`No ledger account ${p.code}.`);
    return statement;
  }
}
