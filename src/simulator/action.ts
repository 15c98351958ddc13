import type { Answer, Fault } from './signed-http.js';

export type CardAccount = 'bank' | 'transit' | 'personal';

export interface MoneyMove {
  cardNo: string;
  account: CardAccount;
  region: string;
  /** Fen into (+) or out of (−) the card account. */
  delta: number;
}

export type SimContext = 'transit' | 'medical' | 'scenic' | 'museums' | 'libraries' | 'cards' | 'holder';

/** What the service should answer, when the simulator knows (chaos faults, denied cards). */
export type Expectation = 'decision' | 401 | 400 | 403 | 404 | 409;

/**
 * One request a simulated terminal makes at a simulated instant. `body` is built when the action is
 * sent (so `tappedAt` is the simulated "now"); `then` schedules what the person does next, from the
 * answer (tap in after getting a seat, tap out when the train arrives, …).
 */
export interface Action {
  at: number;
  context: SimContext;
  label: string;
  /** The signing terminal; `admin` sends with the operator's bearer token instead. */
  terminalId: string | 'admin';
  method: 'GET' | 'POST';
  path: string;
  body?: (now: Date) => unknown;
  fault?: Fault;
  expect?: Expectation;
  /** Send the identical request again afterwards (a terminal retry): the answer must be the same. */
  retry?: boolean;
  /** False for requests without a client id (a 医保码 request makes a new code each time): never retried. */
  idempotent?: false;
  /**
   * Money this command moved on cards, read from its answer: the double-charge audit compares each
   * card's ledger balance with what the answers said; `region` is where the money is counted.
   */
  money?: (answer: Answer) => MoneyMove[];
  then?: (answer: Answer, now: Date) => Action[];
}
