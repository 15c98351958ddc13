import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LedgerDigest, type DigestHead } from '@onecard/ledger';
import { GetLedgerDigestQuery } from './get-ledger-digest.query.js';

@QueryHandler(GetLedgerDigestQuery)
export class GetLedgerDigestHandler implements IQueryHandler<GetLedgerDigestQuery> {
  constructor(private readonly digest: LedgerDigest) {}

  execute(): Promise<DigestHead[]> {
    return this.digest.current();
  }
}
