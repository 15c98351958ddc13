import { Query } from '@nestjs/cqrs';
import type { DigestHead } from '@onecard/ledger';

/** Every chain head: the digest an auditor keeps to check later that history was not rewritten. */
export class GetLedgerDigestQuery extends Query<DigestHead[]> {}
