import { Query } from '@nestjs/cqrs';
import type { StatementChainHead } from '@contexts/clearing';
import type { DigestHead } from '@onecard/ledger';

/** Every chain head (the ledger's and the clearing statements'): the digest an auditor keeps to check later that history was not rewritten. */
export class GetLedgerDigestQuery extends Query<(DigestHead | StatementChainHead)[]> {}
