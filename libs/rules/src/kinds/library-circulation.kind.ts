import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { fen, regionCode } from '../schema-helpers.js';

/**
 * `libraries/circulation`: loan rules of this region's library networks (通借通还 groups) by the
 * holder's home region, Koha-style (REFERENCE.md §3): loan limit, period, renewals, fine per day
 * per item (with an optional cap per item); returns within the network, cross-network loans and
 * returns as the network says; borrowing blocked above a fine threshold and, if the data says so,
 * while a loan is overdue. A library's network is a registry attribute. The libraries context owns
 * this kind (ADR 0011). Fields added in version 2 of the data are optional with the meaning
 * version 1 had, so published version 1 files stay valid and replayable.
 */
const loanRule = z
  .strictObject({
    homeRegions: z.array(regionCode()).min(1),
    /** Items a holder may have on loan from this network at once. */
    loanLimit: z.int().min(0),
    loanDays: z.int().min(1),
    renewals: z.int().min(0),
    /** Days each renewal adds, counted from the renewal day (a renewal never moves the due date earlier). */
    renewalDays: z.int().min(0),
    finePerDayPerItemFen: z.int({ error: 'expected integer fen' }).min(0),
    /** The most one item's overdue fine can reach; null: no cap (version 1). */
    fineCapPerItemFen: fen().nullable().default(null),
  })
  .superRefine((r, ctx) => {
    if (r.renewals > 0 && r.renewalDays === 0) ctx.addIssue({ code: 'custom', path: ['renewalDays'], message: 'a renewal must add days' });
  });

const crossNetwork = z.enum(['REFUSE', 'ACCEPT']);

const network = z
  .strictObject({
    name: z.string().min(1),
    rules: z.array(loanRule).min(1),
    /** An item of this network returned at a library of another network. */
    crossNetworkReturn: crossNetwork,
    /** An item of another network presented for loan at a desk of this network (version 1: REFUSE). */
    crossNetworkLoan: crossNetwork.default('REFUSE'),
  })
  .superRefine((n, ctx) => {
    for (const region of ['11', '12', '13'] as const) {
      const matching = n.rules.map((r, i) => (r.homeRegions.includes(region) ? i : -1)).filter((i) => i >= 0);
      if (matching.length === 0) ctx.addIssue({ code: 'custom', path: ['rules'], message: `no loan rule for holders from region ${region}` });
      if (matching.length > 1) ctx.addIssue({ code: 'custom', path: ['rules', matching[1]!], message: `holders from region ${region} match more than one loan rule` });
    }
  });

export const libraryCirculationSchema = z.strictObject({
  networks: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'expected a network code such as TIANJIN' }), network),
  /** Unpaid fines above this block new loans. */
  borrowingBlockedAboveFineFen: fen(),
  renewalRefusedWhenOverdue: z.boolean(),
  /** A holder with an overdue loan (anywhere) may not borrow (version 1: false). */
  borrowingBlockedWhenOverdue: z.boolean().default(false),
});

export type LibraryCirculationParameters = z.infer<typeof libraryCirculationSchema>;
export type LibraryNetworkRules = LibraryCirculationParameters['networks'][string];
export type LoanRule = LibraryNetworkRules['rules'][number];

/** The loan rule of a network for a holder's home region (each region matches exactly one). */
export function loanRuleFor(p: LibraryCirculationParameters, networkCode: string, homeRegion: '11' | '12' | '13'): LoanRule | undefined {
  return p.networks[networkCode]?.rules.find((r) => r.homeRegions.includes(homeRegion));
}

export const LibraryCirculationRules = defineRuleKind<LibraryCirculationParameters>('libraries', 'circulation', libraryCirculationSchema);
