import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LedgerVerifier, type VerificationResult } from '@onecard/ledger';
import { VerifyLedgerQuery } from './verify-ledger.query.js';

/**
 * Verification reads every record, so it is heavy: concurrent requests without a digest share
 * the run in progress instead of starting another one each.
 */
@QueryHandler(VerifyLedgerQuery)
export class VerifyLedgerHandler implements IQueryHandler<VerifyLedgerQuery> {
  private running: Promise<VerificationResult> | null = null;

  constructor(private readonly verifier: LedgerVerifier) {}

  execute(query: VerifyLedgerQuery): Promise<VerificationResult> {
    if (query.digest) return this.verifier.verify({ digest: query.digest });
    this.running ??= this.verifier.verify().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
