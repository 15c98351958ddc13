import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemError, Problems, type Region } from '@onecard/kernel';
import { CommandExecutor, type CommandEnvelope, type CommandResult } from '@onecard/ledger';
import { CARD_LOOKUP, type CardLookup } from '@onecard/platform';
import { placementErrors } from '../../domain/terminal-placement.rule.js';
import { CachedTerminalDirectory } from '../../infrastructure/cached-terminal-directory.js';
import { RegistryRepository } from '../../infrastructure/registry.repository.js';
import { toTerminalView, type TerminalView } from '../terminal-view.js';
import { RegisterTerminalCommand } from './register-terminal.command.js';

/**
 * The terminal id is the natural idempotency key: registering the same terminal with the same body
 * again answers the original 201; a different body for an existing id is a 409.
 */
@CommandHandler(RegisterTerminalCommand)
export class RegisterTerminalHandler implements ICommandHandler<RegisterTerminalCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: RegistryRepository,
    private readonly directory: CachedTerminalDirectory,
    @Inject(CARD_LOOKUP) private readonly cards: CardLookup,
  ) {}

  async execute(command: RegisterTerminalCommand): Promise<CommandResult<TerminalView>> {
    const { terminalId, kind, venueId, direction, cardNo } = command;
    const venue = venueId === null ? null : await this.repository.findVenue(venueId);
    const errors = placementErrors({ kind, venueId, direction, cardNo }, venue);
    if (cardNo !== null && errors.length === 0 && !(await this.cards.exists(cardNo))) errors.push({ pointer: '/cardNo', detail: `unknown card "${cardNo}"` });
    if (errors.length > 0) throw Problems.validation(errors);

    const envelope = {
      type: 'registry.register-terminal',
      id: terminalId,
      context: 'registry',
      actor: command.actor,
      // cardNo only when there is one: registrations journaled before holder-app binding replay unchanged.
      payload: { terminalId, kind, venueId, direction, ...(cardNo !== null ? { cardNo } : {}) },
    };
    try {
      return await this.register(envelope, command, venue?.region ?? null, venue?.kind ?? null);
    } catch (error) {
      // Two identical registrations raced: the loser found the row already there. If the winner
      // journaled it, run again to replay its answer (or get the 409 for a different body).
      if (error instanceof ProblemError && error.problem.status === 409 && (await this.executor.find(envelope.type, envelope.id))) {
        return this.register(envelope, command, venue?.region ?? null, venue?.kind ?? null);
      }
      throw error;
    }
  }

  private register(
    envelope: CommandEnvelope,
    command: RegisterTerminalCommand,
    region: Region | null,
    venueKind: string | null,
  ): Promise<CommandResult<TerminalView>> {
    const { terminalId, kind, venueId, direction, cardNo } = command;
    return this.executor.execute(envelope, async (tx) => {
      const inserted = await this.repository.insertTerminals([{ terminalId, kind, venueId, direction, cardNo }], tx.now, tx);
      if (inserted.length === 0) throw Problems.conflict(`Terminal ${terminalId} is already registered.`, { terminalId });
      const row = await this.repository.findTerminal(terminalId, tx);
      tx.afterCommit(() => this.directory.invalidate(terminalId));
      return {
        decision: 'ALLOW',
        httpStatus: 201,
        response: toTerminalView(row!),
        regions: region ? [region] : [],
        details: {
          input: envelope.payload as Record<string, unknown>,
          facts: { venueKind },
          outcome: { registered: true },
          rule: 'registry.terminal-placement',
        },
      };
    });
  }
}
