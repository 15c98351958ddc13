import { Injectable } from '@nestjs/common';
import { businessDateOf, type RuleRef } from '@onecard/kernel';
import { kindKey, RuleSetNotFoundError, type PublishedRuleSet, type RuleKind, type RuleRegion, type RuleSet } from './rule-set.js';
import type { RuleSetFilter } from './rule-snapshot.js';
import { RuleStore } from './rule-store.js';

/**
 * What contexts ask for rules. Synchronous and in memory: a tap costs no database round trip.
 * Resolution: the version in force on the instant's Asia/Shanghai business day (ADR 0005) for the
 * exact region; when that region has none in force, the `ALL` family's.
 */
@Injectable()
export class RuleBook {
  private pin: PublishedRuleSet | null = null;

  constructor(private readonly store: RuleStore) {}

  resolve<P>(kind: RuleKind<P>, region: RuleRegion, at: Date): RuleSet<P> {
    const found = this.find(kind, region, at);
    if (!found) throw new RuleSetNotFoundError(`${kindKey(kind)} for region ${region} on ${dayOf(at)} (Asia/Shanghai)`);
    return found;
  }

  find<P>(kind: RuleKind<P>, region: RuleRegion, at: Date): RuleSet<P> | null {
    const pinned = this.pin;
    if (pinned && pinned.context === kind.context && pinned.kind === kind.kind && (pinned.region === region || pinned.region === 'ALL')) {
      return pinned as PublishedRuleSet<P>;
    }
    const day = dayOf(at);
    const snapshot = this.store.snapshot;
    const exact = snapshot.inForce(kind.context, kind.kind, region, day);
    if (exact) return exact as PublishedRuleSet<P>;
    return region === 'ALL' ? null : ((snapshot.inForce(kind.context, kind.kind, 'ALL', day) as PublishedRuleSet<P> | null) ?? null);
  }

  /** One exact version: the fare in force at entry, a replay, an explanation. */
  byRef<P>(kind: RuleKind<P>, ref: RuleRef): RuleSet<P> {
    const found = this.store.snapshot.get(ref.id, ref.version);
    if (!found) throw new RuleSetNotFoundError(`${ref.id} version ${ref.version} is not published`);
    if (found.context !== kind.context || found.kind !== kind.kind) {
      throw new RuleSetNotFoundError(`${ref.id} version ${ref.version} is a ${found.context}/${found.kind} rule set, not ${kindKey(kind)}`);
    }
    return found as PublishedRuleSet<P>;
  }

  /** Any published version by reference, whatever its kind (explanations), with publication data. */
  get(ref: RuleRef): PublishedRuleSet | null {
    return this.store.snapshot.get(ref.id, ref.version);
  }

  list(filter?: RuleSetFilter): PublishedRuleSet[] {
    return this.store.snapshot.list(filter);
  }

  /**
   * A view of the book in which the family of `ref` resolves to exactly that version, whatever the
   * date (replaying a decision under the version it recorded). Other kinds resolve as usual.
   */
  pinnedTo(ref: RuleRef): RuleBook {
    const pinned = this.store.snapshot.get(ref.id, ref.version);
    if (!pinned) throw new RuleSetNotFoundError(`${ref.id} version ${ref.version} is not published`);
    const view = new RuleBook(this.store);
    view.pin = pinned;
    return view;
  }
}

function dayOf(at: Date): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError(`rules are resolved at a valid instant, got ${String(at)}`);
  return businessDateOf(at);
}
