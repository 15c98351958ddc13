import { VenueDirectory } from '@contexts/registry';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandResult, type CommandTx } from '@onecard/engine';
import { formatBusinessInstant, Problems, type Region } from '@onecard/kernel';
import { MUSEUMS_COMMANDS } from '../../domain/museums-commands.js';
import { MuseumsRepository, type StoredMuseum } from '../../infrastructure/museums.repository.js';
import { ConfigureMuseumCommand, type MuseumView } from './configure-museum.command.js';

export function toMuseumView(m: StoredMuseum): MuseumView {
  return { museumId: m.museumId, region: m.region, slotQuota: m.slotQuota, version: m.version, updatedAt: formatBusinessInstant(m.updatedAt) };
}

/**
 * Sets a museum's seats per slot: journaled as `museums.configure-museum` `<museumId>.v<version>`;
 * the same quota again changes nothing and writes nothing. A lower quota never cancels reservations
 * already made: it only stops new ones until enough are cancelled. It runs alone (an admin
 * command): the museum's row is locked and checked in its transaction.
 */
@CommandHandler(ConfigureMuseumCommand)
export class ConfigureMuseumHandler extends PlannedCommandHandler<ConfigureMuseumCommand, MuseumView> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: MuseumsRepository,
    private readonly venues: VenueDirectory,
  ) {
    super(executor);
  }

  override async execute(command: ConfigureMuseumCommand): Promise<CommandResult<MuseumView>> {
    const target = await this.target(command);
    if ('unchanged' in target) return { response: toMuseumView(target.unchanged), httpStatus: 200, decision: 'ALLOW', reasonCode: null, replayed: true };
    return this.executor.run(target.plan);
  }

  /** The next version's plan (a quota the museum already has has none: `execute` answers it without running). */
  protected async plan(command: ConfigureMuseumCommand): Promise<CommandPlan<MuseumView>> {
    const target = await this.target(command);
    if ('unchanged' in target) throw Problems.conflict(`Museum ${command.museumId} already has ${command.slotQuota} seats per slot.`);
    return target.plan;
  }

  /** The museum's current configuration if the quota is the same, else the plan of the next version. */
  private async target(command: ConfigureMuseumCommand): Promise<{ unchanged: StoredMuseum } | { plan: CommandPlan<MuseumView> }> {
    const { museumId, slotQuota, actor } = command;
    const venue = await this.venues.findVenue(museumId);
    if (!venue) throw Problems.notFound(`No venue ${museumId} is registered.`);
    if (venue.kind !== 'MUSEUM') throw Problems.badRequest(`Venue ${museumId} is a ${venue.kind}, not a MUSEUM.`);
    const current = await this.repository.findMuseum(museumId);
    if (current && current.slotQuota === slotQuota) return { unchanged: current };
    const version = (current?.version ?? 0) + 1;
    return {
      plan: {
        envelope: { type: MUSEUMS_COMMANDS.configureMuseum, id: `${museumId}.v${version}`, context: 'museums', actor, payload: { museumId, slotQuota } },
        decide: (_, tx) => this.configure(tx, { museumId, region: venue.region, slotQuota }, current, version),
      },
    };
  }

  /** The next version, on the museum's row locked. */
  private async configure(
    tx: CommandTx,
    museum: { museumId: string; region: Region; slotQuota: number },
    current: StoredMuseum | null,
    version: number,
  ): Promise<CommandOutcome<MuseumView>> {
    const { museumId, region, slotQuota } = museum;
    const locked = await this.repository.findMuseum(museumId, tx, { lock: true });
    if ((locked?.version ?? 0) !== version - 1) throw Problems.conflict(`Museum ${museumId} was changed at the same time; read it and try again.`);
    await this.repository.upsertMuseum(museum, version, tx.now, tx);
    return {
      decision: 'ALLOW',
      response: toMuseumView({ ...museum, version, updatedAt: tx.now }),
      httpStatus: current ? 200 : 201,
      regions: [region],
      details: {
        input: { museumId, slotQuota },
        facts: { previousQuota: current?.slotQuota ?? null },
        outcome: { version },
        rule: 'museums.configuration',
      },
    };
  }
}
