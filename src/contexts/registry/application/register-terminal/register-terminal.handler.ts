import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { Problems, type Region } from '@onecard/kernel';
import { CARD_LOOKUP, type CardLookup } from '@onecard/platform';
import { REGISTRY_COMMANDS } from '../../domain/registry-commands.js';
import { placementErrors } from '../../domain/terminal-placement.rule.js';
import { CachedTerminalDirectory } from '../../infrastructure/cached-terminal-directory.js';
import { RegistryRepository } from '../../infrastructure/registry.repository.js';
import { toTerminalView, type TerminalView } from '../terminal-view.js';
import { RegisterTerminalCommand } from './register-terminal.command.js';

/**
 * The terminal id is the natural idempotency key: registering the same terminal with the same body
 * again answers the original 201; a different body for an existing id is a 409. A holder app is
 * registered bound to an existing card (`cardNo`).
 */
@CommandHandler(RegisterTerminalCommand)
export class RegisterTerminalHandler extends PlannedCommandHandler<RegisterTerminalCommand, TerminalView> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: RegistryRepository,
    private readonly directory: CachedTerminalDirectory,
    @Inject(CARD_LOOKUP) private readonly cards: CardLookup,
  ) {
    super(executor);
  }

  protected async plan(command: RegisterTerminalCommand): Promise<CommandPlan<TerminalView>> {
    const { terminalId, kind, venueId, direction, cardNo } = command;
    const venue = venueId === null ? null : await this.repository.findVenue(venueId);
    const errors = placementErrors({ kind, venueId, direction, cardNo }, venue);
    if (cardNo !== null && errors.length === 0 && !(await this.cards.exists(cardNo))) errors.push({ pointer: '/cardNo', detail: `unknown card "${cardNo}"` });
    if (errors.length > 0) throw Problems.validation(errors);
    // Two identical registrations take turns on the command id: the second replays the first.
    return {
      envelope: {
        type: REGISTRY_COMMANDS.registerTerminal,
        id: terminalId,
        context: 'registry',
        actor: command.actor,
        // cardNo only when there is one: registrations journaled before holder-app binding replay unchanged.
        payload: { terminalId, kind, venueId, direction, ...(cardNo !== null ? { cardNo } : {}) },
      },
      decide: (_, tx) => this.register(tx, command, venue?.region ?? null, venue?.kind ?? null),
    };
  }

  /** The terminal's row; a terminal id registered before under another body is a 409. */
  private async register(
    tx: CommandTx,
    command: RegisterTerminalCommand,
    region: Region | null,
    venueKind: string | null,
  ): Promise<CommandOutcome<TerminalView>> {
    const { terminalId, kind, venueId, direction, cardNo } = command;
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
        input: { terminalId, kind, venueId, direction, ...(cardNo !== null ? { cardNo } : {}) },
        facts: { venueKind },
        outcome: { registered: true },
        rule: 'registry.terminal-placement',
      },
    };
  }
}
