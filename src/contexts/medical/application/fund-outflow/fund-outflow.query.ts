import { Query } from '@nestjs/cqrs';
import type { Fen, Region } from '@onecard/kernel';

export interface FlowRow {
  homeRegion: Region;
  institutionRegion: Region;
  settlements: number;
  totalFen: Fen;
  fundFen: Fen;
  personalAccountFen: Fen;
  cashFen: Fen;
}

export interface FundOutflowAnswer {
  from: string;
  to: string;
  /** What each home region's fund (and its insured's personal accounts) paid out, wherever the care was. */
  byHomeRegion: { homeRegion: Region; settlements: number; fundFen: Fen; personalAccountFen: Fen }[];
  /** Every home region × institution region pair, local care included. */
  flows: FlowRow[];
  /**
   * The basis of inter-region clearing: what each home region owes institutions of another region
   * (fund + personal account; patients' cash was paid at the counter), and the net per pair.
   */
  clearing: {
    owed: { homeRegion: Region; institutionRegion: Region; owedFen: Fen }[];
    net: { payer: Region; payee: Region; amountFen: Fen }[];
  };
}

/** Fund outflow per home region and the cross-region figures, for settlements on days in [from, to] (Asia/Shanghai), reversed ones excluded. */
export class FundOutflowQuery extends Query<FundOutflowAnswer> {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}
