import { Injectable } from '@nestjs/common';
import { VenueDirectory } from '@contexts/registry';
import { TimetableCache } from '@contexts/transit';
import { businessDateOf } from '@onecard/kernel';
import type { SeedContext, SeedStep } from '../seed-step.js';

/**
 * The intercity stations' line facts on their registry venues (`line`, `km`, `nameZh`,
 * `namePinyin`, from the transit rule data), and a first look at today's generated timetable.
 * Whether a station is in service is not copied: it is dated rule data, read at each tap.
 */
@Injectable()
export class TransitSeedStep implements SeedStep {
  readonly name = 'transit.stations';

  constructor(
    private readonly venues: VenueDirectory,
    private readonly timetables: TimetableCache,
  ) {}

  async run(ctx: SeedContext): Promise<string> {
    const today = businessDateOf(ctx.now);
    const network = this.timetables.networkOn(today);
    if (!network) return `no transit rules in force on ${today}: stations left as they are`;
    let updated = 0;
    for (const s of network.parameters.stations) {
      if (await this.venues.mergeVenueAttributes(s.code, { line: 'JINGJIN', km: s.km, nameZh: s.nameZh, namePinyin: s.namePinyin })) updated++;
    }
    const trains = this.timetables.timetable(today, network).trains.length;
    return `${updated} stations described; ${trains} trains on ${today} (${network.ref.id} v${network.ref.version})`;
  }
}
