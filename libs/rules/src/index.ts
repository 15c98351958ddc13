// Three-region rules as versioned, effective-dated data (ADR 0005).
export {
  defineRuleKind,
  kindKey,
  RULE_REGIONS,
  SOURCE_TAGS,
  RuleSetNotFoundError,
  type PublishedRuleSet,
  type RuleKind,
  type RuleRegion,
  type RuleSet,
  type SourceTag,
} from './rule-set.js';
export { RulesModule } from './rules.module.js';
export { RULES_OPTIONS, DEFAULT_POLL_INTERVAL_MS, type RulesModuleOptions } from './rule-options.js';
export { RuleBook } from './rule-book.js';
export type { RuleSetFilter } from './rule-snapshot.js';
export { RuleStore, type FileLoadReport } from './rule-store.js';
export { RuleKindRegistry } from './rule-kind-registry.js';
export { RuleRepository, PUBLISH_LOCK_SQL, type Sql as RuleSql } from './rule-repository.js';
export { ReplayRegistry, type DecisionReplayer, type RecordedDecision } from './decision-replayer.js';
export { RuleDataError, readRuleFiles, validateRuleFiles, type RuleFile } from './rule-files.js';
export { toRuleSetSummary, toRuleSetView, statusOf, type RuleSetStatus, type RuleSetSummary, type RuleSetView } from './rule-set-view.js';
export { basisPoints, businessDate, byHospitalLevel, fen, regionCode } from './schema-helpers.js';
export { sourceTagOf, checkSourceTags } from './domain/source-tags.js';
export { versionInForce, coversDay, type DatedVersion } from './domain/resolution.js';
export { checkPublication, checkFamily, type PublicationRefusal } from './domain/publication.js';
export { validateRuleSet, FAMILY_ID, type RuleSetIssue } from './domain/rule-set-validation.js';
export { contentSha256, type RuleSetContent } from './domain/content-hash.js';
export { Rules1796004000000 } from './migrations/1796004000000-Rules.js';

// Rule kinds of the data in rules/ (contexts may move them into their own domain/ and refine them).
export { DEFAULT_RULE_KINDS } from './kinds/default-kinds.js';
export {
  TransitNetworkRules,
  transitNetworkSchema,
  firstClassFareFen,
  secondClassFareFen,
  TRAIN_DIRECTIONS,
  type TrainDirection,
  type TimetablePattern,
  type TransitNetworkParameters,
} from './kinds/transit-network.kind.js';
export { MedicalPolicyRules, medicalPolicySchema, type MedicalPolicyParameters, type MedicalSchemePolicy } from './kinds/medical-policy.kind.js';
export {
  MedicalCatalogueRules,
  medicalCatalogueSchema,
  MEDICAL_ITEM_CODE_PATTERN,
  type MedicalCatalogueParameters,
  type MedicalCatalogueItem,
} from './kinds/medical-catalogue.kind.js';
export { ScenicAdmissionRules, scenicAdmissionSchema, type ScenicAdmissionParameters } from './kinds/scenic-admission.kind.js';
export { MuseumBookingRules, museumBookingSchema, museumPolicy, type MuseumBookingParameters, type MuseumBookingPolicy, type MuseumSlot } from './kinds/museum-booking.kind.js';
export { LibraryCirculationRules, libraryCirculationSchema, loanRuleFor, type LibraryCirculationParameters, type LibraryNetworkRules, type LoanRule } from './kinds/library-circulation.kind.js';
export { CardTopUpLimits, cardTopUpLimitsSchema, type CardTopUpLimitsParameters } from './kinds/card-top-up-limits.kind.js';
export { ClearingPrepaymentRules, clearingPrepaymentSchema, type ClearingPrepaymentParameters } from './kinds/clearing-prepayment.kind.js';
