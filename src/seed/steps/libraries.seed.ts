import { Injectable } from '@nestjs/common';
import { LibraryCatalogue, type CatalogueItem } from '@contexts/libraries';
import { VenueDirectory } from '@contexts/registry';
import type { SeedContext, SeedStep } from '../seed-step.js';

export const ITEMS_PER_LIBRARY = 60;

/** Titles to shelve; the seed adds a copy number so each barcode is a distinct copy. */
const TITLES = [
  '红楼梦',
  '西游记',
  '三国演义',
  '水浒传',
  '呐喊',
  '彷徨',
  '朝花夕拾',
  '骆驼祥子',
  '四世同堂',
  '茶馆',
  '围城',
  '边城',
  '家',
  '春',
  '秋',
  '雷雨',
  '子夜',
  '平凡的世界',
  '活着',
  '许三观卖血记',
  '白鹿原',
  '尘埃落定',
  '长恨歌',
  '繁花',
  '三体',
  '城南旧事',
  '文化苦旅',
  '人间词话',
  '唐诗三百首',
  '宋词选',
  '史记选',
  '论语译注',
  '孟子译注',
  '天津通史',
  '北京城史',
  '河北地方志',
  '京津冀协同发展读本',
  '中国历史常识',
  '乡土中国',
  '万历十五年',
];

/**
 * Shelves ITEMS_PER_LIBRARY items in every seeded library that belongs to a lending network
 * (barcode `<venue id without LIB->-<nnnn>`, e.g. `12-TIANJIN-0001`), titles from a seeded PRNG.
 */
@Injectable()
export class LibrariesSeedStep implements SeedStep {
  readonly name = 'libraries.items';

  constructor(
    private readonly venues: VenueDirectory,
    private readonly catalogue: LibraryCatalogue,
  ) {}

  async run(ctx: SeedContext): Promise<string> {
    const libraries = (await this.venues.listVenues('LIBRARY')).filter((v) => typeof v.attributes['network'] === 'string');
    const items: CatalogueItem[] = [];
    for (const library of libraries) {
      const prefix = library.venueId.replace(/^LIB-/, '');
      for (let n = 1; n <= ITEMS_PER_LIBRARY; n++) {
        items.push({ barcode: `${prefix}-${String(n).padStart(4, '0')}`, libraryId: library.venueId, title: `${ctx.rng.pick(TITLES)} (${ctx.rng.int(1, 5)})` });
      }
    }
    const added = await this.catalogue.addItems(items);
    return `${added} library items in ${libraries.length} libraries`;
  }
}
