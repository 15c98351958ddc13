import type { Action } from '../action.js';
import { addChaos } from './chaos.js';
import { planCommuters } from './commuters.js';
import { planPatients } from './patients.js';
import { planReaders } from './readers.js';
import type { PlanInput } from './scenario.js';
import { planMuseumVisitors, planScenicVisitors } from './visitors.js';

export const SCENARIOS = {
  /** A working Monday: commuter peaks TJN ↔ BJN, clinic mornings, library evenings. */
  weekday: {
    day: '2026-03-02',
    from: '06:30',
    to: '21:30',
    plan: (i: PlanInput) => [...planCommuters(i, 0.55), ...planPatients(i, 0.3), ...planReaders(i, 0.15)],
  },
  /** A National Day holiday: scenic spots and museums near capacity. */
  holiday: {
    day: '2026-10-03',
    from: '07:00',
    to: '18:00',
    plan: (i: PlanInput) => [...planScenicVisitors(i, 0.6), ...planMuseumVisitors(i, 0.3), ...planPatients(i, 0.1)],
  },
  /** A weekday with faults: retries, dropped connections, bad signatures, malformed bodies, lost cards, offline gates. */
  chaos: {
    day: '2026-03-03',
    from: '06:30',
    to: '21:30',
    plan: (i: PlanInput): Action[] => addChaos(i, [...planCommuters(i, 0.45), ...planPatients(i, 0.25), ...planReaders(i, 0.1)], 0.2),
  },
} as const;

export type ScenarioName = keyof typeof SCENARIOS;
