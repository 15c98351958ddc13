/**
 * The transit context's public face (`@contexts/transit`): the module, the day's timetable (for
 * the simulator and seed), and the reason codes gates answer with.
 */
export { TransitModule } from '../transit.module.js';
export { TimetableCache } from '../infrastructure/timetable-cache.js';
export { TransitReasons, TRANSIT_REASON_CODES, type TransitReasonCode } from '../domain/transit-reasons.js';
export { RAIL_REVENUE_ACCOUNT } from '../domain/accounts.js';
export type { Timetable, Train, TrainCall } from '../domain/timetable.js';
export { departureFrom, terminusOf, serves, trainsBetween } from '../domain/timetable.js';
export { ChargeIncompleteJourneysCommand, type IncompleteChargeRun } from '../application/charge-incomplete-journeys/charge-incomplete-journeys.command.js';
export { Transit1796005000000 } from '../infrastructure/migrations/1796005000000-Transit.js';
