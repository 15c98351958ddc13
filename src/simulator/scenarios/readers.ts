import type { Action } from '../action.js';
import { at, isoAt, MINUTE, type PlanInput } from './scenario.js';

export const COMMANDS_PER_READER = 1.5;

/**
 * Library evenings (一卡通阅): a loan at a desk; some readers bring a book back the same evening,
 * often at another library of the same network (通借通还), or renew it.
 */
export function planReaders(input: PlanInput, share: number): Action[] {
  const { world, rng } = input;
  const libraries = world
    .venuesOf('LIBRARY')
    .filter((v) => (input.libraryItems.get(v.venueId)?.length ?? 0) > 0 && world.terminalsAt(v.venueId, 'LIBRARY_DESK').length > 0);
  const readers = world.cards.filter((c) => c.status === 'ACTIVE');
  const count = Math.round((input.volume * share) / COMMANDS_PER_READER);
  const actions: Action[] = [];
  // Each loan takes a copy off the shelf: draw barcodes without putting them back.
  const shelves = new Map(libraries.map((l) => [l.venueId, shuffle(rng, [...input.libraryItems.get(l.venueId)!])]));
  for (let i = 0; i < count && libraries.length; i++) {
    const card = readers[rng.int(0, readers.length - 1)]!;
    const local = libraries.filter((l) => l.region === card.homeRegion);
    const library = local.length && rng.chance(0.85) ? rng.pick(local) : rng.pick(libraries);
    const desk = rng.pick(world.terminalsAt(library.venueId, 'LIBRARY_DESK'));
    const barcode = shelves.get(library.venueId)!.pop();
    if (!barcode) continue;
    const id = `${input.idPrefix}-l${i}`;
    const sameNetwork = libraries.filter((l) => l.region === library.region);
    const returnDesk = rng.pick(world.terminalsAt(rng.pick(sameNetwork).venueId, 'LIBRARY_DESK'));
    const follow = rng.next();
    const later = rng.int(10, 150) * MINUTE;
    actions.push({
      at: at(input, '17:30', 180),
      context: 'libraries',
      label: `loan ${desk.terminalId}`,
      terminalId: desk.terminalId,
      method: 'POST',
      path: '/v1/libraries/loans',
      body: (now) => ({ loanId: `${id}`, cardNo: card.cardNo, barcode, loanedAt: isoAt(now.getTime()) }),
      then: (answer, now) => {
        if (answer.body?.decision !== 'ALLOW') return [];
        if (follow < 0.3) {
          return [
            {
              at: now.getTime() + later,
              context: 'libraries',
              label: `return ${returnDesk.terminalId}`,
              terminalId: returnDesk.terminalId,
              method: 'POST',
              path: '/v1/libraries/returns',
              body: (t) => ({ returnId: `${id}-ret`, barcode, returnedAt: isoAt(t.getTime()) }),
            },
          ];
        }
        if (follow < 0.35) {
          return [
            {
              at: now.getTime() + later,
              context: 'libraries',
              label: `renew ${desk.terminalId}`,
              terminalId: desk.terminalId,
              method: 'POST',
              path: '/v1/libraries/renewals',
              body: (t) => ({ renewalId: `${id}-ren`, cardNo: card.cardNo, barcode, renewedAt: isoAt(t.getTime()) }),
            },
          ];
        }
        return [];
      },
    });
  }
  return actions;
}

function shuffle<T>(rng: PlanInput['rng'], items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
