import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTerminal, TerminalEndpoint, type TerminalIdentity } from '@onecard/platform';
import { IssueMedicalCodeCommand, type MedicalCodeAnswer } from '../application/issue-medical-code/issue-medical-code.command.js';
import { MedicalCodeDto, MedicalCodeRequestDto } from './cards.dto.js';

@ApiTags('holder app')
@Controller('v1/holder')
export class HolderController {
  constructor(private readonly commands: CommandBus) {}

  @Post('medical-codes')
  @HttpCode(200)
  @TerminalEndpoint('HOLDER_APP')
  @ApiOperation({
    summary: 'Issue a 医保码 (medical-insurance e-voucher) for a card: valid 60 s, single use.',
    description:
      'ALLOW answers {decision, code, expiresAt}; a card that may not be used is a DENY with its reason. Every call issues a new code (there is no client id). Journaled, without the code.',
  })
  @ApiOkResponse({ type: MedicalCodeDto })
  issue(@Body() body: MedicalCodeRequestDto, @CurrentTerminal() terminal: TerminalIdentity): Promise<MedicalCodeAnswer> {
    return this.commands.execute(new IssueMedicalCodeCommand(body.cardNo, terminal.terminalId));
  }
}
