import { ClearingStatementChain, type StatementChainHead } from '@contexts/clearing';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LedgerDigest, type DigestHead } from '@onecard/ledger';
import { GetLedgerDigestQuery } from './get-ledger-digest.query.js';

@QueryHandler(GetLedgerDigestQuery)
export class GetLedgerDigestHandler implements IQueryHandler<GetLedgerDigestQuery> {
  constructor(
    private readonly digest: LedgerDigest,
    private readonly statements: ClearingStatementChain,
  ) {}

  /** The ledger's chain heads, then the head of the closed clearing statements' chain. */
  async execute(): Promise<(DigestHead | StatementChainHead)[]> {
    return [...(await this.digest.current()), await this.statements.head()];
  }
}
