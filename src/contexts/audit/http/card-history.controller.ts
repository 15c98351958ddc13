import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Problems } from '@onecard/kernel';
import { AdminEndpoint } from '@onecard/platform';
import { GetCardHistoryQuery, type CardHistory } from '../application/get-card-history/get-card-history.query.js';
import { decodeCursor } from '../domain/cursor.js';
import { CardHistoryDto, CardNoParamDto, HistoryQueryDto } from './audit.dto.js';

@ApiTags('admin: ledger audit')
@Controller('v1/admin/cards')
export class CardHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':cardNo/history')
  @AdminEndpoint('auditor', 'operator')
  @ApiOperation({
    summary: 'Every decision and transfer for a card, in order.',
    description:
      'Journal records whose subject is the card (ALLOW and DENY, with reason code, rule set version, terminal and decision details) ' +
      "and every command that posted entries on the card's accounts (card:<cardNo>:*), in commit order, each with those entries and " +
      'the other side of each leg. No personal data: response bodies are left out. Paged by `after` / `nextCursor`.',
  })
  @ApiOkResponse({ type: CardHistoryDto })
  @ApiBadRequestResponse({ description: 'Bad card number or cursor.' })
  @ApiNotFoundResponse({ description: 'No journal record or ledger account mentions the card.' })
  async history(@Param() p: CardNoParamDto, @Query() q: HistoryQueryDto): Promise<CardHistory> {
    const after = q.after ? decodeCursor(q.after) : null;
    const history = await this.queries.execute(new GetCardHistoryQuery(p.cardNo, after, q.limit ?? 200));
    if (!history) throw Problems.notFound(`No journal record or ledger account mentions card ${p.cardNo}.`);
    return history;
  }
}
