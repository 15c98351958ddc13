import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { Problems } from '@onecard/kernel';
import { REGISTRY_COMMANDS } from '../../domain/registry-commands.js';
import { CachedTerminalDirectory } from '../../infrastructure/cached-terminal-directory.js';
import { RegistryRepository } from '../../infrastructure/registry.repository.js';
import { toTerminalView, type TerminalView } from '../terminal-view.js';
import { SetTerminalStatusCommand } from './set-terminal-status.command.js';

/**
 * Setting a state is idempotent by nature: asking for the state the terminal is already in changes
 * nothing and writes nothing. A real change is journaled as `<terminalId>.v<new version>`, so two
 * racing identical requests meet on the journal key and the second replays the first.
 */
@CommandHandler(SetTerminalStatusCommand)
export class SetTerminalStatusHandler extends PlannedCommandHandler<SetTerminalStatusCommand, TerminalView, { terminal: TerminalView; changed: boolean }> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: RegistryRepository,
    private readonly directory: CachedTerminalDirectory,
  ) {
    super(executor);
  }

  override async execute(command: SetTerminalStatusCommand): Promise<{ terminal: TerminalView; changed: boolean }> {
    const current = await this.repository.findTerminal(command.terminalId);
    if (!current) throw Problems.notFound(`No terminal ${command.terminalId} is registered.`);
    if (current.enabled === command.enabled) return { terminal: toTerminalView(current), changed: false };
    const result = await this.executor.run(this.planFor(command, current.version));
    return { terminal: result.response, changed: !result.replayed };
  }

  protected async plan(command: SetTerminalStatusCommand): Promise<CommandPlan<TerminalView>> {
    const current = await this.repository.findTerminal(command.terminalId);
    if (!current) throw Problems.notFound(`No terminal ${command.terminalId} is registered.`);
    return this.planFor(command, current.version);
  }

  private planFor(command: SetTerminalStatusCommand, version: number): CommandPlan<TerminalView> {
    return {
      envelope: {
        type: REGISTRY_COMMANDS.setTerminalStatus,
        id: `${command.terminalId}.v${version + 1}`,
        context: 'registry',
        actor: command.actor,
        payload: { terminalId: command.terminalId, enabled: command.enabled },
      },
      decide: (_, tx) => this.set(tx, command, version),
    };
  }

  /** The new state, on the terminal's row locked; the directory forgets the terminal once committed. */
  private async set(tx: CommandTx, command: SetTerminalStatusCommand, version: number): Promise<CommandOutcome<TerminalView>> {
    const locked = await this.repository.findTerminal(command.terminalId, tx, { lock: true });
    if (!locked || locked.version !== version) {
      throw Problems.conflict(`Terminal ${command.terminalId} changed meanwhile; read it again.`, { terminalId: command.terminalId });
    }
    await this.repository.setEnabled(command.terminalId, command.enabled, tx.now, tx);
    tx.afterCommit(() => this.directory.invalidate(command.terminalId));
    return {
      decision: 'ALLOW',
      response: toTerminalView({ ...locked, enabled: command.enabled }),
      regions: locked.region ? [locked.region] : [],
      details: { input: { enabled: command.enabled }, facts: { wasEnabled: locked.enabled, version: locked.version }, outcome: { enabled: command.enabled } },
    };
  }
}
