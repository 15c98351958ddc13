import { holderAppOf } from '../seed/demo-venues.js';
import type { SignedHttp } from './signed-http.js';

export interface SimTerminal {
  terminalId: string;
  kind: string;
  venueId: string | null;
  direction: 'IN' | 'OUT' | null;
  /** HOLDER_APP: the card it is bound to. */
  cardNo: string | null;
  enabled: boolean;
}

export interface SimVenue {
  venueId: string;
  kind: string;
  region: string;
  name: string;
  level?: number | null;
}

export interface SimCard {
  cardNo: string;
  issuingRegion: string;
  status: string;
  transitApp: boolean;
  homeRegion: string;
  scheme: 'EMPLOYEE' | 'RESIDENT';
  retiree: boolean;
  birthYear: number;
  /** Balances at discovery, by account kind (bank, transit, personal), in fen. */
  balances: { bank: number; transit: number | null; personal: number | null };
}

/** The service's world as the admin API shows it: venues, terminals, and a sample of cards. */
export class World {
  constructor(
    readonly venues: SimVenue[],
    readonly terminals: SimTerminal[],
    readonly cards: SimCard[],
  ) {}

  venuesOf(kind: string): SimVenue[] {
    return this.venues.filter((v) => v.kind === kind);
  }

  terminalsAt(venueId: string, kind?: string, direction?: 'IN' | 'OUT'): SimTerminal[] {
    return this.terminals.filter((t) => t.enabled && t.venueId === venueId && (!kind || t.kind === kind) && (!direction || t.direction === direction));
  }

  terminalOfKind(kind: string): SimTerminal | undefined {
    return this.terminals.find((t) => t.enabled && t.kind === kind);
  }

  /** The holder app bound to this card: each holder plays through their own app. */
  holderAppOf(cardNo: string): string {
    const app = this.terminals.find((t) => t.enabled && t.kind === 'HOLDER_APP' && t.cardNo === cardNo);
    if (!app) throw new Error(`no holder app is bound to card ${cardNo} (World.discover registers one for every card it plays)`);
    return app.terminalId;
  }

  venue(venueId: string): SimVenue | undefined {
    return this.venues.find((v) => v.venueId === venueId);
  }

  static async discover(http: SignedHttp, maxCards: number, onProgress?: (done: number, total: number) => void): Promise<World> {
    const venues = await okJson<SimVenue[]>(http, '/v1/admin/venues');
    const terminals = await okJson<SimTerminal[]>(http, '/v1/admin/terminals');
    const cardNos: string[] = [];
    let after: string | null = null;
    do {
      const page: { accounts: { code: string }[]; nextCursor: string | null } = await okJson(
        http,
        `/v1/admin/ledger/accounts?prefix=card:&kind=CARD_BANK&limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
      for (const a of page.accounts) cardNos.push(a.code.split(':')[1]!);
      after = page.nextCursor;
    } while (after && cardNos.length < 200_000);
    // An even sample across the code range: every region's cards (codes start with the region's letter).
    const step = Math.max(1, cardNos.length / maxCards);
    const chosen = Array.from({ length: Math.min(maxCards, cardNos.length) }, (_, i) => cardNos[Math.floor(i * step)]!);
    const cards: SimCard[] = [];
    for (let i = 0; i < chosen.length; i += 16) {
      const batch = await Promise.all(chosen.slice(i, i + 16).map((no) => okJson<any>(http, `/v1/admin/cards/${no}`)));
      for (const c of batch) {
        cards.push({
          cardNo: c.cardNo,
          issuingRegion: c.issuingRegion,
          status: c.status,
          transitApp: c.transitApp,
          homeRegion: c.holder.homeRegion,
          scheme: c.holder.scheme,
          retiree: c.holder.retiree,
          birthYear: c.holder.birthYear,
          balances: { bank: c.accounts.bank.balanceFen, transit: c.accounts.transit?.balanceFen ?? null, personal: c.accounts.personal?.balanceFen ?? null },
        });
      }
      onProgress?.(cards.length, chosen.length);
    }
    // Every holder the simulator plays uses the app bound to their card: the seed's, or one registered now.
    for (const card of cards) {
      if (terminals.some((t) => t.enabled && t.kind === 'HOLDER_APP' && t.cardNo === card.cardNo)) continue;
      const terminalId = holderAppOf(card.cardNo);
      const answer = await http.admin('POST', '/v1/admin/terminals', { terminalId, kind: 'HOLDER_APP', cardNo: card.cardNo });
      if (answer.status !== 201) throw new Error(`registering holder app ${terminalId} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      terminals.push(answer.body as SimTerminal);
    }
    return new World(venues, terminals, cards);
  }
}

async function okJson<T>(http: SignedHttp, path: string): Promise<T> {
  const answer = await http.admin('GET', path);
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return answer.body as T;
}
