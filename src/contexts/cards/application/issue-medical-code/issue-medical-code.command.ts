import { Command } from '@nestjs/cqrs';
import type { Reason } from '@onecard/kernel';

export type MedicalCodeAnswer = { decision: 'ALLOW'; code: string; expiresAt: string } | { decision: 'DENY'; reason: Reason };

/** `POST /v1/holder/medical-codes {cardNo}` from a HOLDER_APP: a 医保码 valid 60 s, single use. */
export class IssueMedicalCodeCommand extends Command<MedicalCodeAnswer> {
  constructor(
    readonly cardNo: string,
    readonly terminalId: string,
  ) {
    super();
  }
}
