import { Injectable, type OnModuleInit } from '@nestjs/common';
import { businessInstant, type DecisionDetails, type Region } from '@onecard/kernel';
import { MuseumBookingRules, ReplayRegistry, RuleBook, type DecisionReplayer, type RecordedDecision } from '@onecard/rules';
import { decideCancellation, type CancellationFacts } from '../../domain/cancellation.rule.js';
import { MUSEUMS_COMMANDS } from '../../domain/museums-commands.js';
import { decideReservation, type RecordedBookingFacts } from '../book-visit/booking-outcome.js';
import { banStartedBy, type NoShowFacts } from '../count-no-shows/no-show-outcome.js';
import { decideEntry, type RecordedEntryFacts } from '../tap-museum-gate/entry-outcome.js';

/**
 * Recomputes museum decisions from their journaled details with the recorded rule set version
 * (ADR 0005): bookings, gate entries, cancellations and counted no-shows (with the ban they start).
 * Pure: no database, no clock.
 */
@Injectable()
export class MuseumsDecisionReplayer implements DecisionReplayer, OnModuleInit {
  readonly commandTypes = [MUSEUMS_COMMANDS.book, MUSEUMS_COMMANDS.tap, MUSEUMS_COMMANDS.cancel, MUSEUMS_COMMANDS.countNoShow];

  constructor(private readonly registry: ReplayRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  replay(details: DecisionDetails, rules: RuleBook, recorded: RecordedDecision): Record<string, unknown> {
    switch (recorded.commandType) {
      case MUSEUMS_COMMANDS.book: {
        const i = details.input as { museumId: string; museumRegion: Region; date: string; slot: string };
        const set = rules.find(MuseumBookingRules, i.museumRegion, businessInstant(i.date, '00:00'));
        return {
          ...decideReservation(set?.parameters ?? null, i.museumId, { date: i.date, slot: i.slot }, details.facts as unknown as RecordedBookingFacts).outcome,
        };
      }
      case MUSEUMS_COMMANDS.tap: {
        const i = details.input as { museumId: string; museumRegion: Region; tappedAt: string };
        const set = rules.find(MuseumBookingRules, i.museumRegion, new Date(i.tappedAt));
        return { ...decideEntry(set?.parameters ?? null, i.museumId, details.facts as unknown as RecordedEntryFacts).outcome };
      }
      case MUSEUMS_COMMANDS.cancel: {
        const verdict = decideCancellation(details.facts as unknown as CancellationFacts);
        return { decision: verdict.decision, reason: verdict.decision === 'DENY' ? verdict.reason.code : null };
      }
      default: {
        const facts = details.facts as unknown as NoShowFacts & { museumRegion?: Region | null };
        if (!('noShowDates' in facts)) return { ban: null };
        const set = facts.museumRegion ? rules.find(MuseumBookingRules, facts.museumRegion, recorded.eventTime) : null;
        return { ban: banStartedBy(set?.parameters ?? null, facts) };
      }
    }
  }
}
