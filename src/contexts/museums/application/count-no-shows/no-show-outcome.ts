import type { BusinessDate } from '@onecard/kernel';
import { museumPolicy, type MuseumBookingParameters } from '@onecard/rules';
import { banOn } from '../../domain/booking.rule.js';

export interface NoShowFacts {
  museumId: string;
  visitDate: BusinessDate;
  /** The holder's counted no-shows at the museum, this one included. */
  noShowDates: BusinessDate[];
}

/** The ban this no-show starts, if it completes a series (shared by the job and the replayer). */
export function banStartedBy(rules: MuseumBookingParameters | null, facts: NoShowFacts): { from: BusinessDate; through: BusinessDate } | null {
  if (!rules) return null;
  const ban = banOn(facts.noShowDates, museumPolicy(rules, facts.museumId).noShowBan, facts.visitDate);
  return ban && ban.from === facts.visitDate ? { from: ban.from, through: ban.through } : null;
}
