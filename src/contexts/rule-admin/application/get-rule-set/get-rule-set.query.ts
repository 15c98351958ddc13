import { Query } from '@nestjs/cqrs';
import type { RuleSetView } from '@onecard/rules';

/** One published version with its parameters and source tags. */
export class GetRuleSetQuery extends Query<RuleSetView> {
  constructor(
    readonly id: string,
    readonly version: number,
  ) {
    super();
  }
}
