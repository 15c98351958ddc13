import { Query } from '@nestjs/cqrs';
import type { Region, RuleRef } from '@onecard/kernel';

export interface CatalogueAnswer {
  region: Region;
  /** The Asia/Shanghai day the catalogue is in force on. */
  on: string;
  ruleSet: RuleRef;
  effectiveFrom: string;
  effectiveTo: string | null;
  recognitionWindowDays: number;
  categoryB: { selfPaidFirstBp: number };
  items: { code: string; name: string; type: string; category: 'A' | 'B' | 'C'; selfPaidFirstBp: number | null; recognised: 'lab' | 'imaging' | null }[];
}

/** `GET /v1/medical/catalogue?region=`: the treatment region's catalogue in force today (or on `on`). */
export class ListCatalogueQuery extends Query<CatalogueAnswer> {
  constructor(
    readonly region: Region,
    readonly on?: string,
  ) {
    super();
  }
}
