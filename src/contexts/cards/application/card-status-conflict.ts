import { ProblemError } from '@onecard/kernel';

/** The 409 an operator's UI shows when an operation does not fit the card's status. */
export function cardStatusConflict(
  detail: string,
  extensions: { cardNo: string; currentStatus: string; operation: string; allowedOperations?: string[] },
): ProblemError {
  return new ProblemError({ type: '/problems/card-status-conflict', title: 'Not allowed in the card status', status: 409, detail, ...extensions });
}
