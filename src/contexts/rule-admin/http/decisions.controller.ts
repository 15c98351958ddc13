import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Problems } from '@onecard/kernel';
import { AdminEndpoint } from '@onecard/platform';
import type { DecisionExplanation, ReplayReport } from '../application/decision-explainer.js';
import { ExplainDecisionQuery } from '../application/explain-decision/explain-decision.query.js';
import { ReplayDecisionQuery } from '../application/replay-decision/replay-decision.query.js';
import { CommandTypeQueryDto, DecisionExplanationDto, ReplayReportDto } from './rule-admin.dto.js';

/** The journal's command ids: client ids and system ids (`<family>.v<version>`, `job:…`). */
const COMMAND_ID = /^[A-Za-z0-9_:.-]{1,128}$/;

function checkCommandId(commandId: string): void {
  if (!COMMAND_ID.test(commandId))
    throw Problems.validation([{ pointer: '/commandId', detail: 'commandId is 1–128 of [A-Za-z0-9_:.-]' }], 'Bad command id in the path.');
}

@ApiTags('admin: rules')
@Controller('v1/admin/decisions')
export class DecisionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':commandId/explanation')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({
    summary: 'Why a command was decided as it was: inputs, facts, outcome, the rule that produced it, and the rule set version it recorded.',
    description: 'From the journal. A decision made before a later publish explains with the version it used.',
  })
  @ApiParam({ name: 'commandId', example: 'tap-20260302-0001' })
  @ApiOkResponse({ type: DecisionExplanationDto })
  @ApiNotFoundResponse({ description: 'No journaled command with this id (and type).' })
  @ApiConflictResponse({ description: 'Several command types used this id; pass ?type=.' })
  explain(@Param('commandId') commandId: string, @Query() query: CommandTypeQueryDto): Promise<DecisionExplanation> {
    checkCommandId(commandId);
    return this.queries.execute(new ExplainDecisionQuery(commandId, query.type));
  }

  @Post(':commandId/replay')
  @HttpCode(200)
  @AdminEndpoint('auditor')
  @ApiOperation({
    summary: 'Recompute a decision with the rule set version it recorded and compare with the recorded outcome.',
    description: 'Uses the replayer the owning context registered for the command type; writes nothing.',
  })
  @ApiParam({ name: 'commandId', example: 'tap-20260302-0001' })
  @ApiOkResponse({ type: ReplayReportDto })
  @ApiNotFoundResponse({ description: 'No journaled command with this id (and type).' })
  @ApiConflictResponse({ description: 'Several command types used this id; pass ?type=.' })
  @ApiUnprocessableEntityResponse({ description: 'No replayer is registered for the command type, no details were recorded, or the replayer failed.' })
  replay(@Param('commandId') commandId: string, @Query() query: CommandTypeQueryDto): Promise<ReplayReport> {
    checkCommandId(commandId);
    return this.queries.execute(new ReplayDecisionQuery(commandId, query.type));
  }
}
