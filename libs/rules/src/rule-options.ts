import type { RuleKind } from './rule-set.js';

export interface RulesModuleOptions {
  /** The rules directory (`RULES_DIR`, default `rules`, relative to the working directory). */
  directory?: string;
  /** How often to look for versions another instance published; 0 turns polling off. */
  pollIntervalMs?: number;
  /** Kinds known without any context registering them (default: the library's kinds). */
  defaultKinds?: readonly RuleKind<any>[];
}

export const RULES_OPTIONS = Symbol('RULES_OPTIONS');
export const DEFAULT_POLL_INTERVAL_MS = 2000;
