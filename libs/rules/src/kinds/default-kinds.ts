import type { RuleKind } from '../rule-set.js';
import { CardTopUpLimits } from './card-top-up-limits.kind.js';
import { ClearingPrepaymentRules } from './clearing-prepayment.kind.js';
import { LibraryCirculationRules } from './library-circulation.kind.js';
import { MedicalCatalogueRules } from './medical-catalogue.kind.js';
import { MedicalPolicyRules } from './medical-policy.kind.js';
import { MuseumBookingRules } from './museum-booking.kind.js';
import { ScenicAdmissionRules } from './scenic-admission.kind.js';
import { TransitNetworkRules } from './transit-network.kind.js';

/**
 * The kinds of the files in `rules/`, known before any context registers them, so the data loads
 * from day one. A context registering the same kind with `RulesModule.forFeature` wins.
 */
export const DEFAULT_RULE_KINDS: readonly RuleKind<any>[] = [
  TransitNetworkRules,
  MedicalPolicyRules,
  MedicalCatalogueRules,
  ScenicAdmissionRules,
  MuseumBookingRules,
  LibraryCirculationRules,
  CardTopUpLimits,
  ClearingPrepaymentRules,
];
