import { Injectable } from '@nestjs/common';
import { hmacSha256 } from '@onecard/kernel';
import { AppConfig } from '@onecard/platform';

/**
 * Keyed hash of personal identifiers (ADR 0006): HMAC-SHA256 with PII_HASH_KEY. Without the key the
 * hash cannot be reversed by trying the (small) space of valid national IDs.
 */
@Injectable()
export class PiiHasher {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(config.env.PII_HASH_KEY, 'utf8');
  }

  hash(value: string): string {
    return hmacSha256(this.key, `onecard-pii|${value}`).toString('hex');
  }
}
