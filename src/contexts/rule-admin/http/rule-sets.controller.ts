import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Problems } from '@onecard/kernel';
import { AdminEndpoint, CurrentAdmin, sendCommandResult } from '@onecard/platform';
import { FAMILY_ID, type RuleSetSummary, type RuleSetView } from '@onecard/rules';
import type { FastifyReply } from 'fastify';
import { GetRuleSetQuery } from '../application/get-rule-set/get-rule-set.query.js';
import { ListRuleSetsQuery } from '../application/list-rule-sets/list-rule-sets.query.js';
import { PublishRuleSetCommand } from '../application/publish-rule-set/publish-rule-set.command.js';
import { ListRuleSetsQueryDto, PublishRuleSetDto, RuleSetSummaryDto, RuleSetViewDto } from './rule-admin.dto.js';

@ApiTags('admin: rules')
@Controller('v1/admin/rule-sets')
export class RuleSetsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'Published rule set versions (without parameters), with where each stands today.' })
  @ApiOkResponse({ type: RuleSetSummaryDto, isArray: true })
  @ApiBadRequestResponse({ description: 'Bad filter.' })
  list(@Query() query: ListRuleSetsQueryDto): Promise<RuleSetSummary[]> {
    return this.queries.execute(new ListRuleSetsQuery({ context: query.context, kind: query.kind, region: query.region }));
  }

  @Get(':id/versions/:version')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'One published version: envelope, source tags and parameters.' })
  @ApiParam({ name: 'id', example: 'transit.jingjin' })
  @ApiParam({ name: 'version', example: 1 })
  @ApiOkResponse({ type: RuleSetViewDto })
  @ApiNotFoundResponse({ description: 'No such family or version.' })
  get(@Param('id') id: string, @Param('version') version: string): Promise<RuleSetView> {
    const errors = [
      ...(FAMILY_ID.test(id) ? [] : [{ pointer: '/id', detail: 'id is a dotted family id such as transit.jingjin' }]),
      ...(/^[1-9]\d{0,8}$/.test(version) ? [] : [{ pointer: '/version', detail: 'version is a whole number ≥ 1' }]),
    ];
    if (errors.length > 0) throw Problems.validation(errors, 'Bad rule set id or version in the path.');
    return this.queries.execute(new GetRuleSetQuery(id, Number(version)));
  }

  @Post()
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Publish a new version of a rule set (the same envelope as a rule file, as JSON).',
    description:
      "The body is validated by the envelope schema and the kind's parameter schema, and every parameter must carry a source tag: problems are a 400 " +
      'with each JSON pointer in errors[]. The version must be exactly the next of its family (409 VERSION_NOT_NEXT), effectiveFrom must be after ' +
      'today in Asia/Shanghai (400 NOT_IN_FUTURE), and it must not overlap a published version that starts later (409 OVERLAPS_LATER_VERSION); ' +
      'a family is one (context, kind, region) (409 FAMILY_TAKEN / FAMILY_MISMATCH). Journaled as rules.publish, id <family>.v<version>: the same ' +
      'body again replays the 201. The version is in force from its first day; this instance resolves with it at once, others within seconds.',
  })
  @ApiBody({ type: PublishRuleSetDto })
  @ApiCreatedResponse({ type: RuleSetViewDto })
  @ApiBadRequestResponse({ description: 'Schema errors (errors[] with pointers such as /parameters/fares/BJN/TJN), or effectiveFrom not in the future.' })
  @ApiConflictResponse({
    description: 'Not the next version, overlaps a later-starting version, family mismatch, or the same version id reused with another body.',
  })
  async publish(
    @Body() body: Record<string, unknown>,
    @CurrentAdmin() admin: { actor: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RuleSetView> {
    const result = await this.commands.execute(new PublishRuleSetCommand(body, admin.actor));
    return sendCommandResult(reply, result);
  }
}
