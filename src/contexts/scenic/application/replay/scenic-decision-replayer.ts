import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { DecisionDetails, Region } from '@onecard/kernel';
import { ReplayRegistry, RuleBook, ScenicAdmissionRules, type DecisionReplayer, type RecordedDecision } from '@onecard/rules';
import { SCENIC_COMMANDS } from '../../domain/scenic-commands.js';
import { decidePassPurchase, type RecordedPassSaleFacts } from '../buy-annual-pass/pass-sale-outcome.js';
import { decideScenicTap, type RecordedTapFacts } from '../tap-scenic-gate/tap-outcome.js';

/**
 * Recomputes scenic decisions from their journaled details with the recorded rule set version
 * (ADR 0005): a tap's price and verdict from the card status, spot, age, passes, first entry,
 * balance and capacity facts; a pass sale from the selling region's rules and the holder's passes.
 * Pure: no database, no clock.
 */
@Injectable()
export class ScenicDecisionReplayer implements DecisionReplayer, OnModuleInit {
  readonly commandTypes = [SCENIC_COMMANDS.tap, SCENIC_COMMANDS.buyAnnualPass];

  constructor(private readonly registry: ReplayRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  replay(details: DecisionDetails, rules: RuleBook, recorded: RecordedDecision): Record<string, unknown> {
    if (recorded.commandType === SCENIC_COMMANDS.tap) {
      const input = details.input as { spotRegion: Region; tappedAt: string };
      const set = rules.find(ScenicAdmissionRules, input.spotRegion, new Date(input.tappedAt));
      return { ...decideScenicTap(set?.parameters ?? null, details.facts as unknown as RecordedTapFacts).outcome };
    }
    const input = details.input as { passCode: string; region: Region | null };
    const facts = details.facts as unknown as RecordedPassSaleFacts;
    const region = facts.sellingRegion ?? input.region;
    const set = region ? rules.find(ScenicAdmissionRules, region, recorded.eventTime) : null;
    return { ...decidePassPurchase(set?.parameters ?? null, input.passCode, facts).outcome };
  }
}
