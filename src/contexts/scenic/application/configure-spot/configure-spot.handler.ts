import { VenueDirectory } from '@contexts/registry';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandResult, type CommandTx } from '@onecard/engine';
import { canonicalJson, formatBusinessInstant, Problems } from '@onecard/kernel';
import { SCENIC_COMMANDS } from '../../domain/scenic-commands.js';
import { spotRevenueAccount, type SpotConfig } from '../../domain/spot.js';
import { ScenicRepository, type StoredSpot } from '../../infrastructure/scenic.repository.js';
import { ConfigureSpotCommand, type SpotSettings, type SpotView } from './configure-spot.command.js';

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
 * same settings again change nothing, write nothing and answer the current configuration (PUT is
 * idempotent). It runs alone (an admin command): the spot's row is locked and checked in its
 * transaction.
 */
@CommandHandler(ConfigureSpotCommand)
export class ConfigureSpotHandler extends PlannedCommandHandler<ConfigureSpotCommand, SpotView> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: ScenicRepository,
    private readonly venues: VenueDirectory,
  ) {
    super(executor);
  }

  override async execute(command: ConfigureSpotCommand): Promise<CommandResult<SpotView>> {
    const target = await this.target(command);
    if ('unchanged' in target) return { response: toSpotView(target.unchanged), httpStatus: 200, decision: 'ALLOW', reasonCode: null, replayed: true };
    return this.executor.run(target.plan);
  }

  /** The next version's plan (settings the spot already has have none: `execute` answers them without running). */
  protected async plan(command: ConfigureSpotCommand): Promise<CommandPlan<SpotView>> {
    const target = await this.target(command);
    if ('unchanged' in target) throw Problems.conflict(`Spot ${command.spotId} already has these settings.`);
    return target.plan;
  }

  /** The spot's current configuration if the settings are the same, else the plan of the next version. */
  private async target(command: ConfigureSpotCommand): Promise<{ unchanged: StoredSpot } | { plan: CommandPlan<SpotView> }> {
    const { spotId, actor } = command;
    const settings = settingsOf(command.settings);
    const venue = await this.venues.findVenue(spotId);
    if (!venue) throw Problems.notFound(`No venue ${spotId} is registered.`);
    if (venue.kind !== 'SCENIC_SPOT') throw Problems.badRequest(`Venue ${spotId} is a ${venue.kind}, not a SCENIC_SPOT.`);
    const current = await this.repository.findSpot(spotId);
    if (current && canonicalJson(settingsOf(current)) === canonicalJson(settings)) return { unchanged: current };
    const version = (current?.version ?? 0) + 1;
    return {
      plan: {
        envelope: { type: SCENIC_COMMANDS.configureSpot, id: `${spotId}.v${version}`, context: 'scenic', actor, payload: { spotId, ...settings } },
        decide: (_, tx) => this.configure(tx, { spotId, region: venue.region, ...settings }, current, version),
      },
    };
  }

  /** The next version, on the spot's row locked; its revenue account opened with it. */
  private async configure(tx: CommandTx, spot: SpotConfig, current: StoredSpot | null, version: number): Promise<CommandOutcome<SpotView>> {
    const locked = await this.repository.findSpot(spot.spotId, tx, { lock: true });
    if ((locked?.version ?? 0) !== version - 1) throw Problems.conflict(`Spot ${spot.spotId} was changed at the same time; read it and try again.`);
    await this.repository.upsertSpot(spot, version, tx.now, tx);
    tx.ledger.openAccounts([{ code: spotRevenueAccount(spot.spotId), region: spot.region, kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 4 }]);
    const { spotId, region, ...settings } = spot;
    return {
      decision: 'ALLOW',
      response: toSpotView({ ...spot, version, updatedAt: tx.now }),
      httpStatus: current ? 200 : 201,
      regions: [region],
      details: {
        input: { spotId, ...settings },
        facts: { previous: current ? settingsOf(current) : null, previousVersion: current?.version ?? null },
        outcome: { version },
        rule: 'scenic.spot-configuration',
      },
    };
  }
}
