import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CARD_NO_PATTERN } from '@contexts/cards';
import { businessDateOf, CLOCK, Problems, type Clock } from '@onecard/kernel';
import { AdminEndpoint, CurrentAdmin, reportRange, sendCommandResult, sendReport, type AdminIdentity, ReportEndpoint } from '@onecard/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AddItemCommand, type ItemView } from '../application/add-item/add-item.command.js';
import { CardLoansQuery, type CardLoans } from '../application/card-loans/card-loans.query.js';
import { LibraryCirculationQuery } from '../application/library-circulation/library-circulation.query.js';
import { LibraryFinesQuery } from '../application/library-fines/library-fines.query.js';
import { LibraryReports } from '../application/library-reports.js';
import { LibraryDirectory } from '../infrastructure/library-directory.js';
import {
  AddItemDto,
  CardLoansDto,
  FinesQueryDto,
  FinesReportDto,
  ItemDto,
  LibrariesCirculationDto,
  LibraryLoansDto,
  LibraryLoansQueryDto,
  OnDateQueryDto,
} from './libraries.dto.js';

/** Operators add items; operators and auditors read circulation: loans outstanding and overdue, fines. */
@ApiTags('admin: libraries')
@Controller('v1/admin/libraries')
export class AdminLibrariesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly libraries: LibraryDirectory,
    private readonly reports: LibraryReports,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('items')
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Register an item (barcode) with its owning library.',
    description:
      'The library must be a LIBRARY venue with a `network` attribute (else 400). Idempotent by barcode: the same body replays the 201, another body is 409.',
  })
  @ApiCreatedResponse({ type: ItemDto })
  @ApiBadRequestResponse({ description: 'Malformed body, unknown library, or a library without a network.' })
  @ApiConflictResponse({ description: 'The barcode is registered already (with another body).' })
  async addItem(@Body() body: AddItemDto, @CurrentAdmin() admin: { actor: string }, @Res({ passthrough: true }) reply: FastifyReply): Promise<ItemView> {
    return sendCommandResult(reply, await this.commands.execute(new AddItemCommand(body.barcode, body.libraryId, body.title, admin.actor)));
  }

  @Get()
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'Every library with its items, loans outstanding and overdue (on a business day), fines charged and still owed.' })
  @ApiOkResponse({ type: LibrariesCirculationDto })
  circulation(@Query() q: OnDateQueryDto) {
    return this.queries.execute(new LibraryCirculationQuery(q.on ?? this.today()));
  }

  @Get('fines')
  @ReportEndpoint({
    summary: 'fines charged on returns between two business days (Asia/Shanghai, inclusive), with totals charged, paid and owed.',
    description: "The summary: `totals`. A region-scoped token sees its region's libraries.",
    type: FinesReportDto,
  })
  async fines(@Query() q: FinesQueryDto, @CurrentAdmin() admin: AdminIdentity, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const from = q.from ?? this.today();
    const to = q.to ?? from;
    if (to < from) throw Problems.validation([{ pointer: '/to', detail: 'to must not be before from' }]);
    reportRange({ from, to });
    const f = { libraryId: q.libraryId ?? null, from, to, region: admin.region };
    await sendReport(req, reply, this.reports.fines(f), q, () => this.queries.execute(new LibraryFinesQuery(f.libraryId, from, to, f.region)));
  }

  @Get('cards/:cardNo/loans')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: "A card holder's loans (any of their cards, open first) and fines." })
  @ApiParam({ name: 'cardNo', example: 'T00000018' })
  @ApiOkResponse({ type: CardLoansDto })
  @ApiNotFoundResponse({ description: 'No such card.' })
  async cardLoans(@Param('cardNo') cardNo: string, @Query() q: OnDateQueryDto): Promise<CardLoans> {
    if (!CARD_NO_PATTERN.test(cardNo))
      throw Problems.validation(
        [{ pointer: '/cardNo', detail: 'cardNo must be a card number: B, T or H followed by 8 digits' }],
        'Bad card number in the path.',
      );
    const found = await this.queries.execute(new CardLoansQuery(cardNo, q.on ?? this.today()));
    if (!found) throw Problems.notFound(`No card ${cardNo} is registered.`);
    return found;
  }

  @Get(':libraryId/loans')
  @ReportEndpoint({
    summary:
      "loans of a library's items, newest first: OUTSTANDING (default), OVERDUE on a business day, RETURNED or ALL; optionally only those lent from..to.",
    type: LibraryLoansDto,
  })
  @ApiParam({ name: 'libraryId', example: 'LIB-12-TIANJIN' })
  @ApiNotFoundResponse({ description: 'No such library.' })
  async loans(@Param('libraryId') libraryId: string, @Query() q: LibraryLoansQueryDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(libraryId) || !(await this.libraries.find(libraryId))) throw Problems.notFound(`No library ${libraryId} is registered.`);
    if (q.from && q.to) reportRange({ from: q.from, to: q.to });
    const f = { libraryId, status: q.status ?? 'OUTSTANDING', on: q.on ?? this.today(), from: q.from ?? null, to: q.to ?? null };
    await sendReport(req, reply, this.reports.loans(f), q, async () => ({ libraryId, status: f.status, on: f.on }));
  }

  private today(): string {
    return businessDateOf(this.clock.now());
  }
}
