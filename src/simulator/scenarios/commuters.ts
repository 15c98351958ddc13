import type { Action } from '../action.js';
import type { SimCard } from '../world.js';
import { at, isoAt, MINUTE, type PlanInput } from './scenario.js';

/** Where Jing-Jin intercity commuters live and work (weights; Yongle is not in service). */
const HOMES: [string, number][] = [
  ['TJN', 55],
  ['WQI', 15],
  ['BHI', 10],
  ['JLB', 5],
  ['TGU', 5],
  ['YZH', 5],
];
const WORKS: [string, number][] = [
  ['BJN', 85],
  ['YZH', 10],
  ['TJN', 5],
];

export const COMMANDS_PER_COMMUTER = 6;

export function transitCards(input: PlanInput): SimCard[] {
  return input.world.cards.filter((c) => c.transitApp && c.status === 'ACTIVE');
}

/**
 * Commuters (一卡通勤): a seat slip at the home station's seat machine, the entry gate a few minutes
 * before departure, the exit gate at the work station when the train arrives — in the morning peak
 * toward Beijing, back in the evening. A few change their plans and leave at the same station.
 */
export function planCommuters(input: PlanInput, share: number): Action[] {
  const cards = transitCards(input);
  const count = Math.min(cards.length, Math.max(1, Math.round((input.volume * share) / COMMANDS_PER_COMMUTER)));
  const actions: Action[] = [];
  for (let i = 0; i < count; i++) {
    const card = cards[i]!;
    const home = input.rng.weighted(HOMES);
    let work = input.rng.weighted(WORKS);
    if (work === home) work = home === 'BJN' ? 'TJN' : 'BJN';
    const changesPlans = input.rng.chance(0.03);
    actions.push(trip(input, card, `${input.idPrefix}-c${i}-am`, home, work, at(input, '06:40', 120), changesPlans));
    actions.push(trip(input, card, `${input.idPrefix}-c${i}-pm`, work, home, at(input, '17:00', 135), false));
  }
  return actions;
}

function trip(input: PlanInput, card: SimCard, id: string, from: string, to: string, when: number, changesPlans: boolean): Action {
  const world = input.world;
  const machine = world.terminalsAt(from, 'SEAT_MACHINE')[0];
  const gatesIn = world.terminalsAt(from, 'GATE', 'IN');
  const gatesOut = world.terminalsAt(changesPlans ? from : to, 'GATE', 'OUT');
  const rng = input.rng;
  const gateIn = rng.pick(gatesIn);
  const gateOut = rng.pick(gatesOut);
  const entryLead = rng.int(3, 15);
  const exitDelay = rng.int(1, 6);
  const region = world.venue(changesPlans ? from : to)?.region ?? '12';
  const tapOut = (whenOut: number): Action => ({
    at: whenOut,
    context: 'transit',
    label: `tap OUT ${gateOut.terminalId}`,
    terminalId: gateOut.terminalId,
    method: 'POST',
    path: '/v1/transit/taps',
    body: (now) => ({ tapId: `${id}-out`, cardNo: card.cardNo, gateId: gateOut.terminalId, tappedAt: isoAt(now.getTime()) }),
    money: (a) => (a.body?.decision === 'ALLOW' ? [{ cardNo: card.cardNo, account: 'transit', region, delta: -(a.body.fareFen ?? 0) }] : []),
  });
  return {
    at: when,
    context: 'transit',
    label: `seat slip ${machine?.terminalId}`,
    terminalId: machine!.terminalId,
    method: 'POST',
    path: '/v1/transit/seat-reservations',
    body: () => ({ reservationId: `${id}-slip`, cardNo: card.cardNo, fromStation: from, toStation: to, travelDate: input.day }),
    then: (answer) => {
      if (answer.body?.decision !== 'ALLOW' || !answer.body.departsAt) return [];
      const departs = Date.parse(answer.body.departsAt);
      const arrival = arrivalAt(input, answer.body.trainNo, to) ?? departs + 35 * MINUTE;
      return [
        {
          at: Math.max(when + MINUTE, departs - entryLead * MINUTE),
          context: 'transit',
          label: `tap IN ${gateIn.terminalId}`,
          terminalId: gateIn.terminalId,
          method: 'POST',
          path: '/v1/transit/taps',
          body: (now) => ({ tapId: `${id}-in`, cardNo: card.cardNo, gateId: gateIn.terminalId, tappedAt: isoAt(now.getTime()) }),
          then: (entry, now) =>
            entry.body?.decision === 'ALLOW' ? [tapOut(changesPlans ? now.getTime() + rng.int(2, 12) * MINUTE : arrival + exitDelay * MINUTE)] : [],
        },
      ];
    },
  };
}

function arrivalAt(input: PlanInput, trainNo: string, station: string): number | null {
  const call = input.timetable.get(trainNo)?.calls.find((c) => c.station === station);
  return call?.arrivesAt ? Date.parse(call.arrivesAt) : null;
}
