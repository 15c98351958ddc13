import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Problems } from '@onecard/kernel';
import { CommandExecutor } from '@onecard/ledger';
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
export class SetTerminalStatusHandler implements ICommandHandler<SetTerminalStatusCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: RegistryRepository,
    private readonly directory: CachedTerminalDirectory,
  ) {}

  async execute(command: SetTerminalStatusCommand): Promise<{ terminal: TerminalView; changed: boolean }> {
    const current = await this.repository.findTerminal(command.terminalId);
    if (!current) throw Problems.notFound(`No terminal ${command.terminalId} is registered.`);
    if (current.enabled === command.enabled) return { terminal: toTerminalView(current), changed: false };

    const result = await this.executor.execute(
      {
        type: 'registry.set-terminal-status',
        id: `${command.terminalId}.v${current.version + 1}`,
        context: 'registry',
        actor: command.actor,
        payload: { terminalId: command.terminalId, enabled: command.enabled },
      },
      async (tx) => {
        const locked = await this.repository.findTerminal(command.terminalId, tx, { lock: true });
        if (!locked || locked.version !== current.version) {
          throw Problems.conflict(`Terminal ${command.terminalId} changed meanwhile; read it again.`, { terminalId: command.terminalId });
        }
        await this.repository.setEnabled(command.terminalId, command.enabled, tx.now, tx);
        tx.afterCommit(() => this.directory.invalidate(command.terminalId));
        const terminal = toTerminalView({ ...locked, enabled: command.enabled });
        return {
          decision: 'ALLOW',
          response: terminal,
          regions: locked.region ? [locked.region] : [],
          details: {
            input: { enabled: command.enabled },
            facts: { wasEnabled: locked.enabled, version: locked.version },
            outcome: { enabled: command.enabled },
          },
        };
      },
    );
    return { terminal: result.response, changed: !result.replayed };
  }
}
