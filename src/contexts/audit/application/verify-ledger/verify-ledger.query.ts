import { Query } from '@nestjs/cqrs';
import type { DigestEntry, VerificationResult } from '@onecard/ledger';

/** Verify the whole ledger from one snapshot, optionally against an earlier digest. */
export class VerifyLedgerQuery extends Query<VerificationResult> {
  constructor(readonly digest: readonly DigestEntry[] | null = null) {
    super();
  }
}
