import { Injectable } from '@nestjs/common';
import { startOfBusinessDay, type BusinessDate } from '@onecard/kernel';
import { RuleBook, TransitNetworkRules, type RuleSet, type TransitNetworkParameters } from '@onecard/rules';
import { generateTimetable, type Timetable } from '../domain/timetable.js';

/** The network is one line across regions: its rule family is `ALL`. */
export const NETWORK_REGION = 'ALL' as const;

/**
 * A business day's timetable, generated from the rule version in force that day and kept in
 * memory (a few days at a time): a seat reservation costs no generation after the first of the day.
 */
@Injectable()
export class TimetableCache {
  private static readonly MAX_DAYS = 8;
  private readonly cache = new Map<string, Timetable>();

  constructor(private readonly rules: RuleBook) {}

  /** The network rules in force on a business day, or null if none are. */
  networkOn(date: BusinessDate): RuleSet<TransitNetworkParameters> | null {
    return this.rules.find(TransitNetworkRules, NETWORK_REGION, startOfBusinessDay(date));
  }

  /** The day's timetable under `network` (the version in force that day unless given). */
  timetable(date: BusinessDate, network: RuleSet<TransitNetworkParameters>): Timetable {
    const key = `${network.ref.id}:${network.ref.version}:${date}`;
    const hit = this.cache.get(key);
    if (hit) {
      // Keep recently used days at the end (insertion order is the eviction order).
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const made = generateTimetable(network.parameters, network.ref, date);
    this.cache.set(key, made);
    while (this.cache.size > TimetableCache.MAX_DAYS) this.cache.delete(this.cache.keys().next().value!);
    return made;
  }
}
