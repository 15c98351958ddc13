import type { CommandExecutor } from './command-executor.js';
import type { CommandPlan, CommandResult } from './command.js';

/**
 * The one shape of every command handler (ADR 0012): `plan` turns the command into what the
 * engine runs — its envelope, its declared reads, its batch keys and the step that decides — and
 * the handler's named steps (`tapIn`, `settle`, `lend`…) decide on what the reads answered. It is
 * a Nest CQRS command handler (`execute`) like any other; `answer` shapes what the caller gets
 * (the engine's result by default).
 *
 *   @CommandHandler(TapCardCommand)
 *   export class TapCardHandler extends PlannedCommandHandler<TapCardCommand, TapAnswer> {
 *     protected plan(c) { return { envelope, reads: { card, wallet, state }, batchKeys: [`card:${c.cardNo}`], decide: (f, tx) => this.tapIn(tx, c, f) }; }
 *     private tapIn(tx, c, f) { … }
 *   }
 */
export abstract class PlannedCommandHandler<C, R, A = CommandResult<R>> {
  constructor(protected readonly executor: CommandExecutor) {}

  async execute(command: C): Promise<A> {
    return this.answer(await this.executor.run(await this.plan(command)), command);
  }

  protected abstract plan(command: C): CommandPlan<R, any> | Promise<CommandPlan<R, any>>;

  /** What the caller gets of the engine's result (it may read what the command stored). */
  protected answer(result: CommandResult<R>, _command: C): A | Promise<A> {
    return result as unknown as A;
  }
}
