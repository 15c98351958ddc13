import { VenueDirectory } from '@contexts/registry';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { canonicalJson, formatBusinessInstant, Problems } from '@onecard/kernel';
import { CommandExecutor, type CommandResult } from '@onecard/engine';
import { spotRevenueAccount } from '../../domain/spot.js';
import { ScenicRepository, type StoredSpot } from '../../infrastructure/scenic.repository.js';
import { ConfigureSpotCommand, type SpotSettings, type SpotView } from './configure-spot.command.js';

export const SCENIC_CONFIGURE_SPOT = 'scenic.configure-spot';

export function toSpotView(s: StoredSpot): SpotView {
  return {
    spotId: s.spotId,
    region: s.region,
    spotType: s.spotType,
    basePriceFen: s.basePriceFen,
    dailyCapacity: s.dailyCapacity,
    participation: s.participation,
    version: s.version,
    revenueAccount: spotRevenueAccount(s.spotId),
    updatedAt: formatBusinessInstant(s.updatedAt),
  };
}

function settingsOf(s: SpotSettings): SpotSettings {
  return { spotType: s.spotType, basePriceFen: s.basePriceFen, dailyCapacity: s.dailyCapacity, participation: [...new Set(s.participation)].sort() };
}

/**
 * Configures a scenic spot (the registry's SCENIC_SPOT venue) for admission: journaled as
 * `scenic.configure-spot` `<spotId>.v<version>`, opening the spot's revenue account with it. The
 * same settings again change nothing and answer the current configuration (PUT is idempotent).
 */
@CommandHandler(ConfigureSpotCommand)
export class ConfigureSpotHandler implements ICommandHandler<ConfigureSpotCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: ScenicRepository,
    private readonly venues: VenueDirectory,
  ) {}

  async execute(command: ConfigureSpotCommand): Promise<CommandResult<SpotView>> {
    const { spotId, actor } = command;
    const settings = settingsOf(command.settings);
    const venue = await this.venues.findVenue(spotId);
    if (!venue) throw Problems.notFound(`No venue ${spotId} is registered.`);
    if (venue.kind !== 'SCENIC_SPOT') throw Problems.badRequest(`Venue ${spotId} is a ${venue.kind}, not a SCENIC_SPOT.`);

    const current = await this.repository.findSpot(spotId);
    if (current && canonicalJson(settingsOf(current)) === canonicalJson(settings)) {
      return { response: toSpotView(current), httpStatus: 200, decision: 'ALLOW', reasonCode: null, replayed: true };
    }
    const version = (current?.version ?? 0) + 1;
    return this.executor.execute<SpotView>(
      { type: SCENIC_CONFIGURE_SPOT, id: `${spotId}.v${version}`, context: 'scenic', actor, payload: { spotId, ...settings } },
      async (tx) => {
        const locked = await this.repository.findSpot(spotId, tx, { lock: true });
        if ((locked?.version ?? 0) !== version - 1) throw Problems.conflict(`Spot ${spotId} was changed at the same time; read it and try again.`);
        const spot = { spotId, region: venue.region, ...settings };
        await this.repository.upsertSpot(spot, version, tx.now, tx);
        await tx.ledger.openAccounts([{ code: spotRevenueAccount(spotId), region: venue.region, kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 4 }]);
        const view = toSpotView({ ...spot, version, updatedAt: tx.now });
        return {
          decision: 'ALLOW',
          response: view,
          httpStatus: current ? 200 : 201,
          regions: [venue.region],
          details: {
            input: { spotId, ...settings },
            facts: { previous: current ? settingsOf(current) : null, previousVersion: current?.version ?? null },
            outcome: { version },
            rule: 'scenic.spot-configuration',
          },
        };
      },
    );
  }
}
