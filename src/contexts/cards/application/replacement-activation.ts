import type { HolderAppBindings } from '@contexts/registry';
import type { CommandTx } from '@onecard/engine';
import { LedgerReads, type Leg } from '@onecard/ledger';
import { replacementActivationProblem } from '../domain/card-status.js';
import type { CardRow, CardsRepository } from '../infrastructure/cards.repository.js';
import { cardStatusConflict } from './card-status-conflict.js';

export interface ReplacementActivation {
  replacedCardNo: string;
  /** Balances moved from the old card's accounts to the new card's, by account kind. */
  movedFen: { bank: number; transit: number; personal: number };
  transfers: Leg[];
}

/**
 * Activating a replacement card invalidates the card it replaces (REFERENCE.md §4): the old card
 * becomes REPLACED, every balance on its accounts moves to the same account of the new card, as
 * ledger transfers in the activating command (ADR 0006), and the holder's apps bound to the old card
 * are bound to the new one (TERMINAL-API.md). The old card must still be formally lost; its row is
 * locked so no other status change can interleave.
 */
export async function activateReplacement(
  tx: CommandTx,
  repository: CardsRepository,
  card: CardRow,
  holderApps: HolderAppBindings,
): Promise<ReplacementActivation | null> {
  if (!card.replaces) return null;
  const old = (await repository.findCard(card.replaces, tx, { lock: true }))!;
  const problem = replacementActivationProblem(old.status);
  if (problem) throw cardStatusConflict(problem, { cardNo: old.cardNo, currentStatus: old.status, operation: 'ACTIVATE' });
  await repository.setStatus(old.cardNo, 'REPLACED', tx.now, tx);
  await holderApps.moveToReplacement(tx, old.cardNo, card.cardNo);

  const pairs = (['bank', 'transit', 'personal'] as const)
    .map((kind) => ({ kind, from: old.accounts[kind], to: card.accounts[kind] }))
    .filter((p): p is { kind: 'bank' | 'transit' | 'personal'; from: string; to: string } => p.from !== null && p.to !== null);
  const balances = await tx.read(LedgerReads.lockedBalances(pairs.map((p) => p.from)));
  const movedFen = { bank: 0, transit: 0, personal: 0 };
  const transfers: Leg[] = [];
  for (const p of pairs) {
    const amount = balances.get(p.from) ?? 0;
    if (amount > 0) {
      transfers.push({ from: p.from, to: p.to, amount });
      movedFen[p.kind] = amount;
    }
  }
  return { replacedCardNo: old.cardNo, movedFen, transfers };
}
