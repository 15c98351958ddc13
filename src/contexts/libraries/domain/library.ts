import type { Region } from '@onecard/kernel';

/** Item barcodes as desks scan them: 1–32 of [A-Za-z0-9-]. */
export const BARCODE_PATTERN = /^[A-Za-z0-9-]{1,32}$/;

/** A lending network's code, as rule data and the registry attribute `network` name it (TIANJIN). */
export const NETWORK_CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/**
 * A library as this context sees it: a LIBRARY venue of the registry, whose attribute `network`
 * names its lending network (通借通还 group). A library without a valid network code lends nothing.
 */
export interface Library {
  libraryId: string;
  region: Region;
  name: string;
  network: string | null;
}

export function networkOf(attributes: Record<string, unknown>): string | null {
  const n = attributes['network'];
  return typeof n === 'string' && NETWORK_CODE_PATTERN.test(n) ? n : null;
}
