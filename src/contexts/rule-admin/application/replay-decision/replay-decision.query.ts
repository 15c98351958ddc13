import { Query } from '@nestjs/cqrs';
import type { ReplayReport } from '../decision-explainer.js';

/**
 * Recomputes a journaled decision with the recorded rule set version and compares it with the
 * recorded outcome. A query: it reads the journal and writes nothing.
 */
export class ReplayDecisionQuery extends Query<ReplayReport> {
  constructor(
    readonly commandId: string,
    readonly commandType?: string,
  ) {
    super();
  }
}
