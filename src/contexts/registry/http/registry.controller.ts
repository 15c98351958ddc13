import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
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
import { Problems } from '@onecard/kernel';
import { AdminEndpoint, CurrentAdmin, sendCommandResult } from '@onecard/platform';
import type { FastifyReply } from 'fastify';
import { ListTerminalsQuery } from '../application/list-terminals/list-terminals.query.js';
import { ListVenuesQuery } from '../application/list-venues/list-venues.query.js';
import { RegisterTerminalCommand } from '../application/register-terminal/register-terminal.command.js';
import { SetTerminalStatusCommand } from '../application/set-terminal-status/set-terminal-status.command.js';
import type { TerminalView } from '../application/terminal-view.js';
import { TERMINAL_ID_PATTERN } from '../domain/terminal-placement.rule.js';
import type { VenueListItem } from '../public/venue-directory.js';
import { ListTerminalsQueryDto, ListVenuesQueryDto, RegisterTerminalDto, SetTerminalStatusDto, TerminalDto, VenueDto } from './registry.dto.js';

type Admin = { role: string; actor: string };

@ApiTags('admin: venues and terminals')
@Controller('v1/admin')
export class RegistryController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('venues')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'Venues: stations (venueId = station code), clinics (with level), scenic spots, museums, libraries.' })
  @ApiOkResponse({ type: VenueDto, isArray: true })
  @ApiBadRequestResponse({ description: 'Unknown kind.' })
  listVenues(@Query() query: ListVenuesQueryDto): Promise<VenueListItem[]> {
    return this.queries.execute(new ListVenuesQuery(query.kind));
  }

  @Get('terminals')
  @AdminEndpoint('operator', 'auditor')
  @ApiOperation({ summary: 'Registered terminals, optionally of one venue or kind.' })
  @ApiOkResponse({ type: TerminalDto, isArray: true })
  listTerminals(@Query() query: ListTerminalsQueryDto): Promise<TerminalView[]> {
    return this.queries.execute(new ListTerminalsQuery({ venueId: query.venueId, kind: query.kind }));
  }

  @Post('terminals')
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Register a terminal at a venue.',
    description:
      'Idempotent by terminalId: the same body again answers the original 201 (Idempotent-Replayed: true); another body for a registered id is 409. ' +
      'The kind must suit the venue (400 naming the field otherwise); a GATE needs direction IN or OUT; a HOLDER_APP needs the cardNo of an existing card ' +
      'it is bound to. Journaled.',
  })
  @ApiCreatedResponse({ type: TerminalDto })
  @ApiBadRequestResponse({
    description: 'Invalid body, unknown venue, kind not allowed at that venue, or direction missing/not allowed (problem+json naming each field).',
  })
  @ApiConflictResponse({ description: 'The terminal id is already registered with other settings.' })
  async register(@Body() body: RegisterTerminalDto, @CurrentAdmin() admin: Admin, @Res({ passthrough: true }) reply: FastifyReply): Promise<TerminalView> {
    const result = await this.commands.execute(
      new RegisterTerminalCommand(body.terminalId, body.kind, body.venueId ?? null, body.direction ?? null, body.cardNo ?? null, admin.actor),
    );
    return sendCommandResult(reply, result);
  }

  @Post('terminals/:terminalId/status')
  @HttpCode(200)
  @AdminEndpoint('operator')
  @ApiOperation({
    summary: 'Enable or disable a terminal.',
    description:
      'Asking for the state a terminal is already in changes and writes nothing. A change is journaled and takes effect at once on this instance, ' +
      'and within 5 s on other instances (terminal cache).',
  })
  @ApiParam({ name: 'terminalId', example: 'TJN-G-IN-1' })
  @ApiOkResponse({ type: TerminalDto })
  @ApiNotFoundResponse({ description: 'No such terminal.' })
  async setStatus(@Param('terminalId') terminalId: string, @Body() body: SetTerminalStatusDto, @CurrentAdmin() admin: Admin): Promise<TerminalView> {
    if (!TERMINAL_ID_PATTERN.test(terminalId))
      throw Problems.validation([{ pointer: '/terminalId', detail: 'terminalId must be 1–64 of [A-Za-z0-9_-]' }], 'Bad terminal id in the path.');
    const result = await this.commands.execute(new SetTerminalStatusCommand(terminalId, body.enabled, admin.actor));
    return result.terminal;
  }
}
