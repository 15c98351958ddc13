import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '@onecard/engine';
import type { RuleSetView } from '@onecard/rules';

/** Publishes a new rule set version (`POST /v1/admin/rule-sets`); the body is a rule file's envelope as JSON. */
export class PublishRuleSetCommand extends Command<CommandResult<RuleSetView>> {
  constructor(
    readonly body: unknown,
    readonly actor: string,
  ) {
    super();
  }
}
