import { VenueDirectory } from '@contexts/registry';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { formatBusinessInstant, Problems } from '@onecard/kernel';
import { CommandExecutor, type CommandResult } from '@onecard/engine';
import { MuseumsRepository, type StoredMuseum } from '../../infrastructure/museums.repository.js';
import { ConfigureMuseumCommand, type MuseumView } from './configure-museum.command.js';

export const MUSEUMS_CONFIGURE = 'museums.configure-museum';

export function toMuseumView(m: StoredMuseum): MuseumView {
  return { museumId: m.museumId, region: m.region, slotQuota: m.slotQuota, version: m.version, updatedAt: formatBusinessInstant(m.updatedAt) };
}

/**
 * Sets a museum's seats per slot: journaled as `museums.configure-museum` `<museumId>.v<version>`;
 * the same quota again changes nothing. A lower quota never cancels reservations already made: it
 * only stops new ones until enough are cancelled.
 */
@CommandHandler(ConfigureMuseumCommand)
export class ConfigureMuseumHandler implements ICommandHandler<ConfigureMuseumCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: MuseumsRepository,
    private readonly venues: VenueDirectory,
  ) {}

  async execute(command: ConfigureMuseumCommand): Promise<CommandResult<MuseumView>> {
    const { museumId, slotQuota, actor } = command;
    const venue = await this.venues.findVenue(museumId);
    if (!venue) throw Problems.notFound(`No venue ${museumId} is registered.`);
    if (venue.kind !== 'MUSEUM') throw Problems.badRequest(`Venue ${museumId} is a ${venue.kind}, not a MUSEUM.`);
    const current = await this.repository.findMuseum(museumId);
    if (current && current.slotQuota === slotQuota)
      return { response: toMuseumView(current), httpStatus: 200, decision: 'ALLOW', reasonCode: null, replayed: true };
    const version = (current?.version ?? 0) + 1;
    return this.executor.execute<MuseumView>(
      { type: MUSEUMS_CONFIGURE, id: `${museumId}.v${version}`, context: 'museums', actor, payload: { museumId, slotQuota } },
      async (tx) => {
        const locked = await this.repository.findMuseum(museumId, tx, { lock: true });
        if ((locked?.version ?? 0) !== version - 1) throw Problems.conflict(`Museum ${museumId} was changed at the same time; read it and try again.`);
        await this.repository.upsertMuseum({ museumId, region: venue.region, slotQuota }, version, tx.now, tx);
        return {
          decision: 'ALLOW',
          response: toMuseumView({ museumId, region: venue.region, slotQuota, version, updatedAt: tx.now }),
          httpStatus: current ? 200 : 201,
          regions: [venue.region],
          details: {
            input: { museumId, slotQuota },
            facts: { previousQuota: current?.slotQuota ?? null },
            outcome: { version },
            rule: 'museums.configuration',
          },
        };
      },
    );
  }
}
