import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { businessDaysBetween, Problems } from '@onecard/kernel';
import { AdminEndpoint } from '@onecard/platform';
import { FundOutflowQuery, type FundOutflowAnswer } from '../application/fund-outflow/fund-outflow.query.js';
import { InstitutionDayQuery, type InstitutionDayAnswer } from '../application/institution-day/institution-day.query.js';
import { ListCatalogueQuery, type CatalogueAnswer } from '../application/list-catalogue/list-catalogue.query.js';
import { PersonAccumulatorsQuery, type PersonAccumulatorsAnswer } from '../application/person-accumulators/person-accumulators.query.js';
import {
  AccumulatorsAnswerDto,
  AccumulatorsQueryDto,
  MedicalCatalogueAnswerDto,
  MedicalCatalogueQueryDto,
  FundOutflowAnswerDto,
  FundOutflowQueryDto,
  InstitutionDayAnswerDto,
  InstitutionDayQueryDto,
} from './medical.dto.js';

const VENUE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

@ApiTags('admin: medical')
@Controller('v1/admin/medical')
export class MedicalAdminController {
  constructor(private readonly queries: QueryBus) {}

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
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: "Settlements of one institution on one day (Asia/Shanghai, by occurredAt), with the day's totals (reversed ones excluded)." })
  @ApiParam({ name: 'institutionId', example: 'CLN-12-TMUGH' })
  @ApiOkResponse({ type: InstitutionDayAnswerDto })
  @ApiNotFoundResponse({ description: 'No such clinic.' })
  institutionDay(@Param('institutionId') institutionId: string, @Query() query: InstitutionDayQueryDto): Promise<InstitutionDayAnswer> {
    if (!VENUE_ID_PATTERN.test(institutionId))
      throw Problems.validation([{ pointer: '/institutionId', detail: 'institutionId must be 1–64 of [A-Za-z0-9_-]' }], 'Bad institution id in the path.');
    return this.queries.execute(new InstitutionDayQuery(institutionId, query.date));
  }

  @Get('fund-outflow')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({
    summary: 'Fund outflow per home region, every home × institution region flow, and the inter-region clearing figures (owed and net) for a range of days.',
    description:
      'Standing settlements on Asia/Shanghai days from..to (by occurredAt); reversed ones excluded. Owed = fund + personal account paid to institutions of another region.',
  })
  @ApiOkResponse({ type: FundOutflowAnswerDto })
  @ApiBadRequestResponse({ description: 'Bad dates, to before from, or a range over 366 days.' })
  fundOutflow(@Query() query: FundOutflowQueryDto): Promise<FundOutflowAnswer> {
    const days = businessDaysBetween(query.from, query.to);
    if (days < 0 || days > 366) throw Problems.validation([{ pointer: '/to', detail: 'to must be from..from + 366 days' }]);
    return this.queries.execute(new FundOutflowQuery(query.from, query.to));
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
