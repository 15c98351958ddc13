import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Problems, type Region } from '@onecard/kernel';
import { AdminEndpoint, CurrentAdmin, ReportRangeQueryDto, reportRange, sendReport, type AdminIdentity, ReportEndpoint } from '@onecard/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MedicalReports } from '../application/medical-reports.js';
import { FundOutflowQuery } from '../application/fund-outflow/fund-outflow.query.js';
import { InstitutionDayQuery } from '../application/institution-day/institution-day.query.js';
import { ListCatalogueQuery, type CatalogueAnswer } from '../application/list-catalogue/list-catalogue.query.js';
import { PersonAccumulatorsQuery, type PersonAccumulatorsAnswer } from '../application/person-accumulators/person-accumulators.query.js';
import {
  AccumulatorsAnswerDto,
  AccumulatorsQueryDto,
  MedicalCatalogueAnswerDto,
  MedicalCatalogueQueryDto,
  FundOutflowAnswerDto,
  InstitutionDayAnswerDto,
} from './medical.dto.js';

const VENUE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

@ApiTags('admin: medical')
@Controller('v1/admin/medical')
export class MedicalAdminController {
  constructor(
    private readonly queries: QueryBus,
    private readonly reports: MedicalReports,
  ) {}

  @Get('catalogue')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: "The treatment region's catalogue in force (as clinic terminals read it at GET /v1/medical/catalogue)." })
  @ApiOkResponse({ type: MedicalCatalogueAnswerDto })
  @ApiBadRequestResponse({ description: 'Unknown region or bad date.' })
  @ApiNotFoundResponse({ description: 'No catalogue in force for that region on that day.' })
  catalogue(@Query() query: MedicalCatalogueQueryDto): Promise<CatalogueAnswer> {
    return this.queries.execute(new ListCatalogueQuery(query.region, query.on));
  }

  @Get('institutions/:institutionId/settlements')
  @ReportEndpoint({
    summary: 'settlements of one institution on days from..to (Asia/Shanghai, by occurredAt), with totals over the range (reversed ones excluded).',
    description: "A token scoped to another region than the institution's sees its own insured only.",
    type: InstitutionDayAnswerDto,
  })
  @ApiParam({ name: 'institutionId', example: 'CLN-12-TMUGH' })
  @ApiNotFoundResponse({ description: 'No such clinic.' })
  async institutionDay(
    @Param('institutionId') institutionId: string,
    @Query() q: ReportRangeQueryDto,
    @CurrentAdmin() admin: AdminIdentity,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!VENUE_ID_PATTERN.test(institutionId))
      throw Problems.validation([{ pointer: '/institutionId', detail: 'institutionId must be 1–64 of [A-Za-z0-9_-]' }], 'Bad institution id in the path.');
    reportRange(q);
    const found = await this.queries.execute(new InstitutionDayQuery(institutionId, q.from, q.to));
    const homeRegion = admin.region && admin.region !== found.region ? admin.region : null;
    const summary = homeRegion ? await this.queries.execute(new InstitutionDayQuery(institutionId, q.from, q.to, homeRegion)) : found;
    await sendReport(req, reply, this.reports.institutionSettlements({ institutionId, from: q.from, to: q.to, homeRegion }), q, async () => summary);
  }

  @Get('fund-outflow')
  @ReportEndpoint({
    summary: 'fund outflow per home region, every home × institution region flow (the rows), and the inter-region clearing figures (owed and net).',
    description:
      'Standing settlements on days from..to (by occurredAt); reversed ones excluded. Owed = fund + personal account paid to institutions of another region.',
    type: FundOutflowAnswerDto,
  })
  async fundOutflow(
    @Query() q: ReportRangeQueryDto,
    @CurrentAdmin() admin: AdminIdentity,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    reportRange(q);
    const summary = async () => {
      const { flows: _flows, ...answer } = await this.queries.execute(new FundOutflowQuery(q.from, q.to));
      if (!admin.region) return answer;
      const side = (a: Region, b: Region) => a === admin.region || b === admin.region;
      return {
        ...answer,
        byHomeRegion: answer.byHomeRegion.filter((h) => h.homeRegion === admin.region),
        clearing: {
          owed: answer.clearing.owed.filter((o) => side(o.homeRegion, o.institutionRegion)),
          net: answer.clearing.net.filter((n) => side(n.payer, n.payee)),
        },
      };
    };
    await sendReport(req, reply, this.reports.outflow({ from: q.from, to: q.to, region: admin.region }), q, summary);
  }

  @Get('accumulators')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: "A person's year-to-date accumulators (deductibles used, fund paid per visit type, inpatient stays), by any of their cards." })
  @ApiOkResponse({ type: AccumulatorsAnswerDto })
  @ApiNotFoundResponse({ description: 'No such card.' })
  accumulators(@Query() query: AccumulatorsQueryDto): Promise<PersonAccumulatorsAnswer> {
    return this.queries.execute(new PersonAccumulatorsQuery(query.cardNo, query.year !== undefined ? Number(query.year) : undefined));
  }
}
