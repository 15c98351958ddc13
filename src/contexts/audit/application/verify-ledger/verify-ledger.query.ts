import { Query } from '@nestjs/cqrs';
import type { StatementChainVerification } from '@contexts/clearing';
import type { DigestEntry, VerificationResult } from '@onecard/ledger';

export interface AuditVerification extends VerificationResult {
  statementChain: StatementChainVerification;
}

/** Verify the whole ledger from one snapshot, and the clearing statement chain, optionally against an earlier digest. */
export class VerifyLedgerQuery extends Query<AuditVerification> {
  constructor(
    readonly digest: readonly DigestEntry[] | null = null,
    readonly statementHead: { seq: number; hash: string } | null = null,
  ) {
    super();
  }
}
