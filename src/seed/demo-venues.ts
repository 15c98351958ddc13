import type { Region } from '@onecard/kernel';
import type { TerminalKind } from '@onecard/platform';
import type { ClinicLevel, TerminalPlacement, Venue, VenueAttributes, VenueKind } from '@contexts/registry';

/**
 * The demo venues and their terminals (README "Seeded data"). Terminal ids read as
 * `<venue>-<device>-<n>`:
 *   stations      TJN-G-IN-1, TJN-G-IN-2 (entry gates), TJN-G-OUT-1, TJN-G-OUT-2 (exit gates), TJN-S-1 (seat machine)
 *   clinics       CLN-12-TUMOR-C1 (counter)
 *   scenic spots  SCN-11-SUMMER-G1, museums MUS-11-NATIONAL-G1 (gates), libraries LIB-11-CAPITAL-D1 (desk)
 *   holder apps   APP-<cardNo>, one bound to each demo card (e.g. APP-B00000018; seeded by steps/holder-apps.seed.ts)
 */

/** REFERENCE.md §1: the eight Beijing–Tianjin intercity stations (YLE reserved, opened by rule data). */
export const STATIONS: readonly { code: string; name: string; region: Region }[] = [
  { code: 'BJN', name: '北京南 Beijing South', region: '11' },
  { code: 'YZH', name: '亦庄 Yizhuang', region: '11' },
  { code: 'YLE', name: '永乐 Yongle', region: '12' },
  { code: 'WQI', name: '武清 Wuqing', region: '12' },
  { code: 'TJN', name: '天津 Tianjin', region: '12' },
  { code: 'JLB', name: '军粮城北 Junliangcheng North', region: '12' },
  { code: 'TGU', name: '塘沽 Tanggu', region: '12' },
  { code: 'BHI', name: '滨海 Binhai', region: '12' },
];

interface VenueSeed {
  venueId: string;
  kind: VenueKind;
  region: Region;
  name: string;
  level?: ClinicLevel;
  attributes?: VenueAttributes;
}

/**
 * Clinics at levels 1–3 (`community`: a community health centre, where Beijing employees get the
 * higher outpatient ratio; `recognition`: takes part in lab/imaging mutual recognition).
 */
const CLINICS: VenueSeed[] = [
  { venueId: 'CLN-11-PUMCH', kind: 'CLINIC', region: '11', name: '北京协和医院', level: 3, attributes: { community: false, recognition: true } },
  {
    venueId: 'CLN-11-TIANTAN',
    kind: 'CLINIC',
    region: '11',
    name: '首都医科大学附属北京天坛医院',
    level: 3,
    attributes: { community: false, recognition: true },
  },
  { venueId: 'CLN-11-HAIDIAN', kind: 'CLINIC', region: '11', name: '北京市海淀医院', level: 2, attributes: { community: false, recognition: true } },
  {
    venueId: 'CLN-11-SHUANGJING',
    kind: 'CLINIC',
    region: '11',
    name: '朝阳区双井社区卫生服务中心',
    level: 1,
    attributes: { community: true, recognition: false },
  },
  { venueId: 'CLN-12-TUMOR', kind: 'CLINIC', region: '12', name: '天津市肿瘤医院', level: 3, attributes: { community: false, recognition: true } },
  { venueId: 'CLN-12-TMUGH', kind: 'CLINIC', region: '12', name: '天津医科大学总医院', level: 3, attributes: { community: false, recognition: true } },
  { venueId: 'CLN-12-WUQING', kind: 'CLINIC', region: '12', name: '天津市武清区人民医院', level: 2, attributes: { community: false, recognition: true } },
  {
    venueId: 'CLN-12-QUANYECHANG',
    kind: 'CLINIC',
    region: '12',
    name: '和平区劝业场街社区卫生服务中心',
    level: 1,
    attributes: { community: true, recognition: false },
  },
  { venueId: 'CLN-13-HEBMU2', kind: 'CLINIC', region: '13', name: '河北医科大学第二医院', level: 3, attributes: { community: false, recognition: true } },
  { venueId: 'CLN-13-PROVINCIAL', kind: 'CLINIC', region: '13', name: '河北省人民医院', level: 3, attributes: { community: false, recognition: true } },
  { venueId: 'CLN-13-YANJIAO', kind: 'CLINIC', region: '13', name: '燕郊人民医院', level: 2, attributes: { community: false, recognition: false } },
  {
    venueId: 'CLN-13-JIANBEI',
    kind: 'CLINIC',
    region: '13',
    name: '石家庄市长安区建北社区卫生服务中心',
    level: 1,
    attributes: { community: true, recognition: false },
  },
];

/** `spotType` PARK | SCENIC_AREA and `participation` (annual passes accepted) as rules/scenic expects. */
const SCENIC_SPOTS: VenueSeed[] = [
  {
    venueId: 'SCN-11-SUMMER',
    kind: 'SCENIC_SPOT',
    region: '11',
    name: '颐和园 Summer Palace',
    attributes: { spotType: 'PARK', basePriceFen: 3000, participation: ['BJ_PARK_ANNUAL'] },
  },
  {
    venueId: 'SCN-11-TEMPLE',
    kind: 'SCENIC_SPOT',
    region: '11',
    name: '天坛公园 Temple of Heaven',
    attributes: { spotType: 'PARK', basePriceFen: 1500, participation: ['BJ_PARK_ANNUAL'] },
  },
  {
    venueId: 'SCN-11-BADALING',
    kind: 'SCENIC_SPOT',
    region: '11',
    name: '八达岭长城 Badaling Great Wall',
    attributes: { spotType: 'SCENIC_AREA', basePriceFen: 4000, participation: ['JJJ_SCENIC'] },
  },
  {
    venueId: 'SCN-12-PANSHAN',
    kind: 'SCENIC_SPOT',
    region: '12',
    name: '盘山风景名胜区 Panshan',
    attributes: { spotType: 'SCENIC_AREA', basePriceFen: 10000, participation: ['JJJ_SCENIC'] },
  },
  {
    venueId: 'SCN-12-HUANGYAGUAN',
    kind: 'SCENIC_SPOT',
    region: '12',
    name: '黄崖关长城 Huangyaguan Great Wall',
    attributes: { spotType: 'SCENIC_AREA', basePriceFen: 5000, participation: ['JJJ_SCENIC'] },
  },
  {
    venueId: 'SCN-12-WATERPARK',
    kind: 'SCENIC_SPOT',
    region: '12',
    name: '天津水上公园 Water Park',
    attributes: { spotType: 'PARK', basePriceFen: 0, participation: [] },
  },
  {
    venueId: 'SCN-13-MOUNTAIN',
    kind: 'SCENIC_SPOT',
    region: '13',
    name: '承德避暑山庄 Chengde Mountain Resort',
    attributes: { spotType: 'SCENIC_AREA', basePriceFen: 13000, participation: ['JJJ_SCENIC'] },
  },
  {
    venueId: 'SCN-13-XIBAIPO',
    kind: 'SCENIC_SPOT',
    region: '13',
    name: '西柏坡 Xibaipo',
    attributes: { spotType: 'SCENIC_AREA', basePriceFen: 0, participation: [] },
  },
  {
    venueId: 'SCN-13-BAIYANGDIAN',
    kind: 'SCENIC_SPOT',
    region: '13',
    name: '白洋淀 Baiyangdian',
    attributes: { spotType: 'SCENIC_AREA', basePriceFen: 4000, participation: ['JJJ_SCENIC'] },
  },
];

const MUSEUMS: VenueSeed[] = [
  { venueId: 'MUS-11-NATIONAL', kind: 'MUSEUM', region: '11', name: '中国国家博物馆 National Museum of China' },
  { venueId: 'MUS-11-CAPITAL', kind: 'MUSEUM', region: '11', name: '首都博物馆 Capital Museum' },
  { venueId: 'MUS-12-TIANJIN', kind: 'MUSEUM', region: '12', name: '天津博物馆 Tianjin Museum' },
  { venueId: 'MUS-13-HEBEI', kind: 'MUSEUM', region: '13', name: '河北博物院 Hebei Museum' },
];

/** `network`: the lending network (通借通还) whose rules apply, as rules/libraries names them. */
const LIBRARIES: VenueSeed[] = [
  { venueId: 'LIB-11-CAPITAL', kind: 'LIBRARY', region: '11', name: '首都图书馆 Capital Library', attributes: { network: 'CAPITAL' } },
  { venueId: 'LIB-11-CHAOYANG', kind: 'LIBRARY', region: '11', name: '朝阳区图书馆 Chaoyang District Library', attributes: { network: 'CAPITAL' } },
  { venueId: 'LIB-12-TIANJIN', kind: 'LIBRARY', region: '12', name: '天津图书馆 Tianjin Library', attributes: { network: 'TIANJIN' } },
  { venueId: 'LIB-12-HEPING', kind: 'LIBRARY', region: '12', name: '和平区图书馆 Heping District Library', attributes: { network: 'TIANJIN' } },
  { venueId: 'LIB-13-HEBEI', kind: 'LIBRARY', region: '13', name: '河北省图书馆 Hebei Library', attributes: { network: 'SHIJIAZHUANG' } },
  { venueId: 'LIB-13-CHANGAN', kind: 'LIBRARY', region: '13', name: "石家庄市长安区图书馆 Chang'an District Library", attributes: { network: 'SHIJIAZHUANG' } },
];

export function demoVenues(): Venue[] {
  const stations: VenueSeed[] = STATIONS.map((s) => ({ venueId: s.code, kind: 'STATION', region: s.region, name: s.name }));
  return [...stations, ...CLINICS, ...SCENIC_SPOTS, ...MUSEUMS, ...LIBRARIES].map((v) => ({
    venueId: v.venueId,
    kind: v.kind,
    region: v.region,
    name: v.name,
    level: v.level ?? null,
    attributes: v.attributes ?? {},
  }));
}

/** The demo holder app bound to a card (one per demo card, `registry.holder-apps` seed step), e.g. `APP-B00000018`. */
export function holderAppOf(cardNo: string): string {
  return `APP-${cardNo}`;
}

const DEVICE: Record<Exclude<VenueKind, 'STATION'>, { kind: TerminalKind; suffix: string }> = {
  CLINIC: { kind: 'CLINIC', suffix: 'C' },
  SCENIC_SPOT: { kind: 'SCENIC_GATE', suffix: 'G' },
  MUSEUM: { kind: 'MUSEUM_GATE', suffix: 'G' },
  LIBRARY: { kind: 'LIBRARY_DESK', suffix: 'D' },
};

export function demoTerminals(venues: readonly Venue[]): TerminalPlacement[] {
  const out: TerminalPlacement[] = [];
  for (const v of venues) {
    if (v.kind === 'STATION') {
      for (const n of [1, 2]) out.push({ terminalId: `${v.venueId}-G-IN-${n}`, kind: 'GATE', venueId: v.venueId, direction: 'IN' });
      for (const n of [1, 2]) out.push({ terminalId: `${v.venueId}-G-OUT-${n}`, kind: 'GATE', venueId: v.venueId, direction: 'OUT' });
      out.push({ terminalId: `${v.venueId}-S-1`, kind: 'SEAT_MACHINE', venueId: v.venueId, direction: null });
    } else {
      const device = DEVICE[v.kind];
      out.push({ terminalId: `${v.venueId}-${device.suffix}1`, kind: device.kind, venueId: v.venueId, direction: null });
    }
  }
  return out;
}
