import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { businessDateOf, ProblemError, Problems } from '@onecard/kernel';
import {
  checkFamily,
  checkPublication,
  PUBLISH_LOCK_SQL,
  RuleKindRegistry,
  RuleRepository,
  RuleStore,
  toRuleSetView,
  validateRuleSet,
  type RuleSql,
  type RuleSetView,
} from '@onecard/rules';
import { RULES_COMMANDS } from '../../domain/rules-commands.js';
import { PublishRuleSetCommand } from './publish-rule-set.command.js';

type ValidRuleSet = Extract<ReturnType<typeof validateRuleSet>, { ok: true }>['value'];

/**
 * Publishes a new rule set version through the API (operator). Validation problems are a 400 with
 * each field's pointer; a version that is not the next, does not start in the future, or overlaps a
 * later-starting version is refused with the reason. The publish is a journaled command
 * (`rules.publish`, id `<family>.v<version>`): retrying the same request replays the answer, and the
 * journal records who published what. It runs alone (it takes the publish lock and reads the
 * family inside its transaction).
 */
@CommandHandler(PublishRuleSetCommand)
export class PublishRuleSetHandler extends PlannedCommandHandler<PublishRuleSetCommand, RuleSetView> {
  constructor(
    executor: CommandExecutor,
    private readonly kinds: RuleKindRegistry,
    private readonly repository: RuleRepository,
    private readonly store: RuleStore,
  ) {
    super(executor);
  }

  protected plan(c: PublishRuleSetCommand): CommandPlan<RuleSetView> {
    const result = validateRuleSet(c.body, this.kinds.all());
    if (!result.ok)
      throw Problems.validation(
        result.issues.map((i) => ({ pointer: i.pointer, detail: i.detail })),
        'The rule set is not valid; see errors[] for each field.',
      );
    const { content } = result.value;
    return {
      envelope: { type: RULES_COMMANDS.publish, id: `${content.id}.v${content.version}`, context: 'rules', actor: c.actor, payload: c.body },
      decide: (_, tx) => this.publish(tx, result.value, c.actor),
    };
  }

  /** The next version of its family, starting in the future: stored, and in force on this instance as soon as it commits. */
  private async publish(tx: CommandTx, valid: ValidRuleSet, actor: string): Promise<CommandOutcome<RuleSetView>> {
    const { content, contentSha256 } = valid;
    const sql: RuleSql = (s, p) => tx.query(s, p);
    await sql(PUBLISH_LOCK_SQL);
    const today = businessDateOf(tx.now);
    const families = await this.repository.families(sql);
    const published = await this.repository.publishedVersions(sql, content.id);
    const refusal = checkFamily(content, families) ?? checkPublication(content, published, today);
    if (refusal) {
      const extensions = { code: refusal.code, errors: refusal.pointer !== undefined ? [{ pointer: refusal.pointer, detail: refusal.detail }] : [] };
      const base = refusal.status === 400 ? Problems.validation(extensions.errors, refusal.detail) : Problems.conflict(refusal.detail);
      throw new ProblemError({ ...base.problem, ...extensions });
    }
    const publishedAt = await this.repository.insert(sql, { ...content, contentSha256, publishedBy: actor, sourceFile: null });
    // The answer to this request already resolves with the new version on this instance.
    tx.afterCommit(async () => {
      await this.store.reload();
    });
    const { description, ...rest } = content;
    const view = toRuleSetView(
      {
        ...rest,
        ...(description ? { description } : {}),
        ref: { id: content.id, version: content.version },
        contentSha256,
        publishedAt,
        publishedBy: actor,
        sourceFile: null,
      },
      today,
      [],
    );
    return {
      decision: 'ALLOW',
      httpStatus: 201,
      ruleSet: { id: content.id, version: content.version },
      response: view,
      details: {
        input: { id: content.id, version: content.version, effectiveFrom: content.effectiveFrom, effectiveTo: content.effectiveTo, contentSha256 },
        facts: { today, publishedVersions: published.map((v) => v.version).sort((a, b) => a - b) },
        outcome: { published: true },
        rule: 'rules.publish.next-version-in-future',
      },
    };
  }
}
