import type { Fen, Region } from '@onecard/kernel';
import { formatCardNo, makeNationalId, type BulkCard, type CardStatus, type TopUpAccount } from '@contexts/cards';
import { Prng } from './prng.js';

/** A card to load and what to put on its accounts once it has a number. */
export interface CardPlan {
  card: BulkCard;
  funding: Partial<Record<TopUpAccount, Fen>>;
}

/**
 * Named demo cards, loaded first into an empty database so their numbers are known in advance
 * (serials 1, 2, 3 of their region). The README's "tap a card" example and `npm run sign` use them.
 */
export const DEMO_CARDS = {
  /** Tianjin employee, 3rd generation with the 中铁银通 transit app: 500 yuan in the rail wallet. */
  tianjinCommuter: formatCardNo('12', 1),
  /** Tianjin resident, 72, retired: senior concessions. */
  tianjinSenior: formatCardNo('12', 2),
  /** Tianjin employee with the transit app, reported lost (temporary). */
  tianjinLost: formatCardNo('12', 3),
  /** Beijing employee with a funded medical personal account. */
  beijingEmployee: formatCardNo('11', 1),
  /** Beijing retiree, 66, employee scheme. */
  beijingRetiree: formatCardNo('11', 2),
  /** Beijing card that was cancelled. */
  beijingCancelled: formatCardNo('11', 3),
  /** Hebei (Shijiazhuang) resident. */
  hebeiResident: formatCardNo('13', 1),
} as const;

const holder = (name: string, region: string, birthDate: string, seq: number, homeRegion: Region, scheme: 'EMPLOYEE' | 'RESIDENT', retiree: boolean) => ({
  name,
  nationalId: makeNationalId(region, birthDate, seq),
  birthDate,
  homeRegion,
  scheme,
  retiree,
});

/** The named cards, in the order that gives them the numbers of DEMO_CARDS. */
export function showcaseCards(): CardPlan[] {
  const plan = (card: Omit<BulkCard, 'status'> & { status?: CardStatus }, funding: CardPlan['funding']): CardPlan => ({
    card: { status: 'ACTIVE', ...card },
    funding,
  });
  return [
    plan(
      { holder: holder('张伟', '120104', '1990-04-12', 31, '12', 'EMPLOYEE', false), issuingRegion: '12', generation: 3, transitApp: true },
      { TRANSIT: 50_000, BANK: 20_000, PERSONAL: 80_000 },
    ),
    plan(
      { holder: holder('刘淑珍', '120101', '1954-01-20', 42, '12', 'RESIDENT', true), issuingRegion: '12', generation: 3, transitApp: false },
      { BANK: 10_000 },
    ),
    plan(
      {
        holder: holder('王强', '120114', '1985-09-09', 17, '12', 'EMPLOYEE', false),
        issuingRegion: '12',
        generation: 3,
        transitApp: true,
        status: 'TEMPORARY_LOSS',
      },
      { TRANSIT: 30_000, PERSONAL: 20_000 },
    ),
    plan(
      { holder: holder('李娜', '110105', '1988-06-01', 22, '11', 'EMPLOYEE', false), issuingRegion: '11', generation: 3, transitApp: false },
      { BANK: 50_000, PERSONAL: 150_000 },
    ),
    plan(
      { holder: holder('陈国华', '110108', '1960-02-14', 53, '11', 'EMPLOYEE', true), issuingRegion: '11', generation: 3, transitApp: false },
      { BANK: 30_000, PERSONAL: 200_000 },
    ),
    plan(
      {
        holder: holder('周明', '110101', '1979-11-30', 64, '11', 'RESIDENT', false),
        issuingRegion: '11',
        generation: 2,
        transitApp: false,
        status: 'CANCELLED',
      },
      {},
    ),
    plan(
      { holder: holder('赵秀英', '130102', '1975-03-08', 28, '13', 'RESIDENT', false), issuingRegion: '13', generation: 3, transitApp: false },
      { BANK: 8_000 },
    ),
  ];
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '韩',
  '冯',
  '于',
  '董',
  '萧',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀',
  '霞',
  '平',
  '刚',
  '桂',
  '英',
  '华',
  '玉',
  '兰',
  '建',
  '国',
  '海',
  '燕',
  '鹏',
  '婷',
  '宇',
  '浩',
  '欣',
  '怡',
];
/** District codes the fake IDs are "born" in, per home region. */
const DISTRICTS: Record<Region, string[]> = {
  '11': ['110101', '110102', '110105', '110106', '110108', '110114'],
  '12': ['120101', '120102', '120103', '120104', '120105', '120114', '120116'],
  '13': ['130102', '130104', '130105', '130108', '131082', '130203'],
};

function birthDate(rng: Prng, age: number, year: number): string {
  const y = year - age;
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * `count` generated cards: holders across the three regions and both schemes (names generated,
 * national IDs valid in format but fake), some Tianjin 3rd-generation cards with the transit app,
 * a few lost, locked, sealed or cancelled, and money within the top-up limits on most accounts.
 */
export function generateCards(rng: Prng, count: number, year = 2026): CardPlan[] {
  const plans: CardPlan[] = [];
  for (let i = 0; i < count; i++) {
    const homeRegion = rng.weighted<Region>([
      ['11', 40],
      ['12', 35],
      ['13', 25],
    ]);
    const scheme = rng.chance(0.6) ? 'EMPLOYEE' : 'RESIDENT';
    const age = rng.weighted<[number, number]>([
      [[18, 30], 25],
      [[31, 59], 50],
      [[60, 90], 25],
    ]);
    const years = rng.int(age[0], age[1]);
    const retiree = years >= 60 && (scheme === 'RESIDENT' || rng.chance(0.85));
    const issuingRegion = rng.chance(0.95) ? homeRegion : rng.pick<Region>(['11', '12', '13']);
    const generation = rng.chance(issuingRegion === '12' ? 0.75 : 0.5) ? 3 : 2;
    const transitApp = issuingRegion === '12' && generation === 3 && rng.chance(0.65);
    const status = rng.weighted<CardStatus>([
      ['ACTIVE', 91],
      ['TEMPORARY_LOSS', 2],
      ['FORMAL_LOSS', 2],
      ['CANCELLED', 3],
      ['SEALED', 1],
      ['APPLICATION_LOCKED', 1],
    ]);
    const name = rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.6) ? rng.pick(GIVEN) : '');
    const born = birthDate(rng, years, year);
    const funding: CardPlan['funding'] = {};
    if (status !== 'SEALED') {
      // Whole yuan, within every region's top-up limits (transit: 300 yuan minimum, 5,000 cap).
      if (transitApp && rng.chance(0.9)) funding.TRANSIT = rng.int(300, 2000) * 100;
      if (rng.chance(0.7)) funding.BANK = rng.int(1, 3000) * 100;
      if (scheme === 'EMPLOYEE' && rng.chance(0.85)) funding.PERSONAL = rng.int(50, 5000) * 100;
    }
    plans.push({
      card: {
        holder: { name, nationalId: makeNationalId(rng.pick(DISTRICTS[homeRegion]), born, rng.int(0, 999)), birthDate: born, homeRegion, scheme, retiree },
        issuingRegion,
        generation,
        transitApp,
        status,
      },
      funding,
    });
  }
  return plans;
}
