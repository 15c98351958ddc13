import { ClearingStatementChain } from '@contexts/clearing';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LedgerVerifier, type VerificationResult } from '@onecard/ledger';
import { VerifyLedgerQuery, type AuditVerification } from './verify-ledger.query.js';

/**
 * Verification reads every record, so it is heavy: concurrent requests without a digest share
 * the run in progress instead of starting another one each. The clearing statements' chain is
 * checked with it (a digest includes its head).
 */
@QueryHandler(VerifyLedgerQuery)
export class VerifyLedgerHandler implements IQueryHandler<VerifyLedgerQuery> {
  private running: Promise<VerificationResult> | null = null;

  constructor(
    private readonly verifier: LedgerVerifier,
    private readonly statements: ClearingStatementChain,
  ) {}

  async execute(query: VerifyLedgerQuery): Promise<AuditVerification> {
    const ledger = query.digest || query.statementHead ? this.verifier.verify({ digest: query.digest ?? [] }) : this.shared();
    const [result, statementChain] = await Promise.all([ledger, this.statements.verify(query.statementHead ?? undefined)]);
    return { ...result, ok: result.ok && statementChain.ok, statementChain };
  }

  private shared(): Promise<VerificationResult> {
    this.running ??= this.verifier.verify().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
