import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '@onecard/ledger';
import { RulePublisher, type RuleSetView } from '@onecard/rules';
import { PublishRuleSetCommand } from './publish-rule-set.command.js';

@CommandHandler(PublishRuleSetCommand)
export class PublishRuleSetHandler implements ICommandHandler<PublishRuleSetCommand> {
  constructor(private readonly publisher: RulePublisher) {}

  execute(command: PublishRuleSetCommand): Promise<CommandResult<RuleSetView>> {
    return this.publisher.publish(command.body, command.actor);
  }
}
