import type { Region } from '@onecard/kernel';

export type CardGeneration = 2 | 3;

/**
 * Which cards may carry the 中铁银通 rail application: today only Tianjin's third-generation card
 * (REFERENCE.md §1). A product fact that changes rarely; listed here so adding a region is one line.
 */
export const TRANSIT_APP_PRODUCTS: readonly { issuingRegion: Region; generation: CardGeneration }[] = [{ issuingRegion: '12', generation: 3 }];

export function transitAppProblem(issuingRegion: Region, generation: CardGeneration): string | null {
  const ok = TRANSIT_APP_PRODUCTS.some((p) => p.issuingRegion === issuingRegion && p.generation === generation);
  return ok ? null : 'the 中铁银通 transit application is only issued on Tianjin (12) third-generation cards';
}
