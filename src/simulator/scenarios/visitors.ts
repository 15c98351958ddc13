import type { Action } from '../action.js';
import { at, isoAt, MINUTE, type PlanInput } from './scenario.js';

export const COMMANDS_PER_VISITOR = 1.3;

/**
 * A holiday at scenic spots (一卡畅游): visitors tap the spot's gate — seniors at their regional
 * concession, pass holders free, others paying from the card's bank account — until the day's
 * capacity runs out; some go out and come back in (free re-entry).
 */
export function planScenicVisitors(input: PlanInput, share: number): Action[] {
  const { world, rng } = input;
  const spots = world.venuesOf('SCENIC_SPOT').filter((v) => world.terminalsAt(v.venueId, 'SCENIC_GATE').length > 0);
  const visitors = world.cards.filter((c) => c.status === 'ACTIVE');
  const count = Math.round((input.volume * share) / COMMANDS_PER_VISITOR);
  const actions: Action[] = [];
  for (let i = 0; i < count && spots.length; i++) {
    const card = visitors[rng.int(0, visitors.length - 1)]!;
    const spot = rng.pick(spots);
    const id = `${input.idPrefix}-s${i}`;
    const tap = (suffix: string, when: number): Action => {
      const gate = rng.pick(world.terminalsAt(spot.venueId, 'SCENIC_GATE'));
      return {
        at: when,
        context: 'scenic',
        label: `scenic tap ${gate.terminalId}`,
        terminalId: gate.terminalId,
        method: 'POST',
        path: '/v1/scenic/taps',
        body: (now) => ({ tapId: `${id}${suffix}`, cardNo: card.cardNo, tappedAt: isoAt(now.getTime()) }),
        money: (a) => (a.body?.decision === 'ALLOW' ? [{ cardNo: card.cardNo, account: 'bank', region: spot.region, delta: -(a.body.priceFen ?? 0) }] : []),
      };
    };
    const first = tap('', at(input, '08:30', 450));
    if (rng.chance(0.15)) {
      const later = rng.int(30, 180) * MINUTE;
      first.then = (answer, now) => (answer.body?.decision === 'ALLOW' ? [tap('-again', now.getTime() + later)] : []);
    }
    actions.push(first);
  }
  return actions;
}

/**
 * Museums (一卡通览): a real-name booking from the holder app for one of the day's slots, then the
 * gate at the slot's start (a little early or late); some never come (no-shows).
 */
export function planMuseumVisitors(input: PlanInput, share: number): Action[] {
  const { world, rng } = input;
  const museums = world
    .venuesOf('MUSEUM')
    .filter((v) => (input.museumSlots.get(v.venueId)?.length ?? 0) > 0 && world.terminalsAt(v.venueId, 'MUSEUM_GATE').length > 0);
  const visitors = world.cards.filter((c) => c.status === 'ACTIVE');
  const count = Math.round((input.volume * share) / 2);
  const actions: Action[] = [];
  for (let i = 0; i < count && museums.length; i++) {
    const card = visitors[rng.int(0, visitors.length - 1)]!;
    const museum = rng.pick(museums);
    const slot = rng.pick(input.museumSlots.get(museum.venueId)!);
    const gate = rng.pick(world.terminalsAt(museum.venueId, 'MUSEUM_GATE'));
    const id = `${input.idPrefix}-u${i}`;
    const comes = rng.chance(0.9);
    const arrival = at(input, slot.start) + rng.int(-25, 40) * MINUTE;
    actions.push({
      at: at(input, '07:00', 90),
      context: 'museums',
      label: 'museum booking',
      terminalId: world.holderAppOf(card.cardNo),
      method: 'POST',
      path: '/v1/museums/reservations',
      body: () => ({ reservationId: `${id}-r`, cardNo: card.cardNo, museumId: museum.venueId, date: input.day, slot: slot.start }),
      then: (answer) =>
        comes && answer.body?.decision === 'ALLOW'
          ? [
              {
                at: arrival,
                context: 'museums',
                label: `museum tap ${gate.terminalId}`,
                terminalId: gate.terminalId,
                method: 'POST',
                path: '/v1/museums/taps',
                body: (now) => ({ tapId: `${id}-t`, cardNo: card.cardNo, tappedAt: isoAt(now.getTime()) }),
              },
            ]
          : [],
    });
  }
  return actions;
}
