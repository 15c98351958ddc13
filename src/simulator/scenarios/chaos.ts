import type { Action } from '../action.js';
import { transitCards } from './commuters.js';
import { at, isoAt, MINUTE, type PlanInput } from './scenario.js';

/**
 * What goes wrong on a real day, mixed into a weekday: terminals retrying with the same id (10 %),
 * connections dropped before the answer (3 %), bad signatures and stale timestamps (401), malformed
 * bodies (400), lost and cancelled cards at the gates, cards reported lost during the day, and
 * gates that were offline uploading their taps in batches — exit gate first.
 */
export function addChaos(input: PlanInput, actions: Action[], share: number): Action[] {
  const { rng, world } = input;
  const out = actions.map((a) => decorate(input, a));
  const extra = Math.max(4, Math.round(input.volume * share));
  const samples = actions.filter((a) => a.terminalId !== 'admin');
  for (let i = 0; i < extra && samples.length; i++) {
    const base = samples[rng.int(0, samples.length - 1)]!;
    const kind = rng.weighted([
      ['bad-signature', 3],
      ['stale-timestamp', 1],
      ['malformed-body', 3],
      ['lost-card', 3],
    ] as const);
    const when = base.at + rng.int(0, 30) * MINUTE;
    if (kind === 'lost-card') {
      out.push(...lostCardTaps(input, i, when));
    } else {
      out.push({
        ...base,
        at: when,
        label: `${kind} ${base.label}`,
        fault: kind,
        expect: kind === 'malformed-body' ? 400 : 401,
        then: undefined,
        money: undefined,
        retry: false,
      });
    }
  }
  // Operators report a few cards lost during the day; their later taps must be refused.
  const commuters = transitCards(input);
  for (let k = 0; k < Math.min(3, commuters.length); k++) {
    const card = commuters[commuters.length - 1 - k]!;
    out.push({
      at: at(input, '12:00', 120),
      context: 'cards',
      label: 'report lost',
      terminalId: 'admin',
      method: 'POST',
      path: `/v1/admin/cards/${card.cardNo}/status`,
      body: () => ({ operation: 'TEMPORARY_LOSS' }),
    });
  }
  out.push(...offlineGates(input));
  void world;
  return out;
}

/** Retries and dropped connections on ordinary commands, their follow-ups included. */
function decorate(input: PlanInput, action: Action): Action {
  const { rng } = input;
  const decorated: Action = { ...action };
  if (action.terminalId !== 'admin' && action.idempotent !== false) {
    if (rng.chance(0.1)) decorated.retry = true;
    else if (rng.chance(0.03)) decorated.fault = 'drop-connection';
  }
  if (action.then) {
    const then = action.then;
    decorated.then = (answer, now) => then(answer, now).map((a) => decorate(input, a));
  }
  return decorated;
}

function lostCardTaps(input: PlanInput, i: number, when: number): Action[] {
  const { world, rng } = input;
  const refused = world.cards.filter((c) => c.status !== 'ACTIVE');
  const gates = world.terminals.filter((t) => t.enabled && t.kind === 'GATE' && t.direction === 'IN');
  if (!refused.length || !gates.length) return [];
  const card = rng.pick(refused);
  const gate = rng.pick(gates);
  return [
    {
      at: when,
      context: 'transit',
      label: `tap of a ${card.status} card`,
      terminalId: gate.terminalId,
      method: 'POST',
      path: '/v1/transit/taps',
      body: (now) => ({ tapId: `${input.idPrefix}-x${i}`, cardNo: card.cardNo, gateId: gate.terminalId, tappedAt: isoAt(now.getTime()) }),
    },
  ];
}

/**
 * Two gates lose their network for the morning peak. Their commuters hold slips and pass; the gates
 * keep the taps and upload them when they reconnect at 10:00 — the exit gate before the entry gate,
 * so every exit arrives before its entry.
 */
function offlineGates(input: PlanInput): Action[] {
  const { world, rng } = input;
  const cards = transitCards(input).slice(-40, -3);
  const gateIn = world.terminalsAt('WQI', 'GATE', 'IN')[0];
  const gateOut = world.terminalsAt('BJN', 'GATE', 'OUT')[1] ?? world.terminalsAt('BJN', 'GATE', 'OUT')[0];
  const machine = world.terminalsAt('WQI', 'SEAT_MACHINE')[0];
  if (!gateIn || !gateOut || !machine || cards.length === 0) return [];
  const ins: unknown[] = [];
  const outs: unknown[] = [];
  const slips: Action[] = [];
  cards.forEach((card, k) => {
    const id = `${input.idPrefix}-o${k}`;
    const tapIn = at(input, '07:00', 60);
    const tapOut = tapIn + rng.int(30, 45) * MINUTE;
    slips.push({
      at: tapIn - rng.int(5, 20) * MINUTE,
      context: 'transit',
      label: `seat slip ${machine.terminalId}`,
      terminalId: machine.terminalId,
      method: 'POST',
      path: '/v1/transit/seat-reservations',
      body: () => ({ reservationId: `${id}-slip`, cardNo: card.cardNo, fromStation: 'WQI', toStation: 'BJN', travelDate: input.day }),
    });
    ins.push({ tapId: `${id}-in`, cardNo: card.cardNo, gateId: gateIn.terminalId, tappedAt: isoAt(tapIn) });
    outs.push({ tapId: `${id}-out`, cardNo: card.cardNo, gateId: gateOut.terminalId, tappedAt: isoAt(tapOut) });
  });
  const region = world.venue('BJN')?.region ?? '11';
  const upload = (gate: string, taps: unknown[], when: number): Action => ({
    at: when,
    context: 'transit',
    label: `offline batch ${gate}`,
    terminalId: gate,
    method: 'POST',
    path: '/v1/transit/taps:batch',
    body: () => ({ taps }),
    // An exit kept while its entry was missing is charged when the entry arrives: count fares of both.
    money: (a) =>
      ((a.body?.taps ?? []) as { decision: string; fareFen?: number; tapId: string }[])
        .map((t, k) => ({ t, cardNo: (taps[k] as { cardNo: string }).cardNo }))
        .filter(({ t }) => t.decision === 'ALLOW' && (t.fareFen ?? 0) > 0)
        .map(({ t, cardNo }) => ({ cardNo, account: 'transit' as const, region, delta: -(t.fareFen ?? 0) })),
  });
  return [...slips, upload(gateOut.terminalId, outs, at(input, '10:00')), upload(gateIn.terminalId, ins, at(input, '10:05'))];
}
