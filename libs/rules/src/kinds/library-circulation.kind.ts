import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { fen, regionCode } from '../schema-helpers.js';

/**
 * `libraries/circulation`: loan rules of this region's library networks (通借通还 groups) by the
 * holder's home region, Koha-style (REFERENCE.md §3): loan limit, period, renewals, fine per day
 * per item; returns within the network, cross-network returns as `crossNetworkReturn` says;
 * borrowing blocked above a fine threshold. A library's network is a registry attribute.
 * The libraries context owns this kind.
 */
const loanRule = z
  .strictObject({
    homeRegions: z.array(regionCode()).min(1),
    loanLimit: z.int().min(0),
    loanDays: z.int().min(1),
    renewals: z.int().min(0),
    /** Days each renewal adds (from the renewal day). */
    renewalDays: z.int().min(0),
    finePerDayPerItemFen: z.int({ error: 'expected integer fen' }).min(0),
  })
  .superRefine((r, ctx) => {
    if (r.renewals > 0 && r.renewalDays === 0) ctx.addIssue({ code: 'custom', path: ['renewalDays'], message: 'a renewal must add days' });
  });

const network = z
  .strictObject({
    name: z.string().min(1),
    rules: z.array(loanRule).min(1),
    /** An item of this network returned at a library of another network. */
    crossNetworkReturn: z.enum(['REFUSE', 'ACCEPT']),
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
});

export type LibraryCirculationParameters = z.infer<typeof libraryCirculationSchema>;
export type LoanRule = LibraryCirculationParameters['networks'][string]['rules'][number];

/** The loan rule of a network for a holder's home region (each region matches exactly one). */
export function loanRuleFor(p: LibraryCirculationParameters, networkCode: string, homeRegion: '11' | '12' | '13'): LoanRule | undefined {
  return p.networks[networkCode]?.rules.find((r) => r.homeRegions.includes(homeRegion));
}

export const LibraryCirculationRules = defineRuleKind<LibraryCirculationParameters>('libraries', 'circulation', libraryCirculationSchema);
