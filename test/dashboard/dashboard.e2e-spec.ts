/// <reference lib="dom" />
import { AUDITOR_TOKEN, OPERATOR_TOKEN, startTestApp, type TestApp } from '@test/support';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { SCENARIOS } from '../../src/simulator/scenarios/index.js';
import { SimClock } from '../../src/simulator/sim-clock.js';
import { simulate } from '../../src/simulator/simulate.js';

/** TOOLCHAIN.md: Debian's Chromium with the arguments that keep it off the (closed) network. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const OUTPUT_DIR = join(process.cwd(), 'test-output', 'dashboard');

/** The simulated clock, held still while the test compares the page with the API. */
class HoldableClock extends SimClock {
  private heldAt: Date | null = null;
  hold(): void {
    this.heldAt = super.now();
  }
  release(): void {
    this.heldAt = null;
  }
  override now(): Date {
    return this.heldAt ?? super.now();
  }
}

const DAY = SCENARIOS.weekday.day;

/**
 * The dashboard in a real browser: Debian's Chromium, driven by playwright-core, loads /dashboard
 * from the service (every script and font from this origin), signs in, and the charts draw the
 * seeded and simulated data while the simulator runs; the matrix shows the API's numbers.
 */
describe('dashboard in a real browser (Chromium, real PostgreSQL, simulated traffic)', () => {
  let t: TestApp;
  let clock: HoldableClock;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  const offOrigin: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
    clock = new HoldableClock(new Date(`${DAY}T07:00:00+08:00`), 600);
    t = await startTestApp({ clock, env: { SEED_DEMO: 'true' } });
    profile = mkdtempSync(join(tmpdir(), 'onecard-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1440, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('request', (r) => {
      if (!r.url().startsWith(t.baseUrl)) offOrigin.push(r.url());
    });
    mkdirSync(OUTPUT_DIR, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  async function signIn(token: string): Promise<void> {
    await page.goto(`${t.baseUrl}/dashboard`);
    await page.fill('#token', token);
    await page.click('#signin-submit');
  }

  it('refuses a wrong token with a visible error, and shows no data', async () => {
    await signIn('not-a-known-token');
    await page.waitForSelector('#signin-error:not([hidden])');
    expect(await page.textContent('#signin-error')).toContain('Unknown admin token');
    expect(await page.isVisible('#board')).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('onecard.adminToken'))).toBeNull();
  });

  it('signs in, draws every chart, and refreshes while the simulator runs', async () => {
    const running = simulate({
      scenario: 'weekday',
      durationMs: 9_000,
      rate: 30,
      seed: 5,
      speed: 600,
      concurrency: 8,
      cards: 300,
      quiet: true,
      service: { baseUrl: t.baseUrl, clock, masterKey: t.env.TERMINAL_MASTER_KEY, operatorToken: OPERATOR_TOKEN },
    });
    await signIn(AUDITOR_TOKEN);
    await page.waitForSelector('#board:not([hidden])');
    expect(await page.textContent('#session-role')).toContain('Auditor');
    expect(await page.isVisible('#operator-panel')).toBe(false);
    await page.waitForFunction(() => Number(document.getElementById('board')!.dataset.refreshes ?? 0) >= 1, null, { timeout: 30_000 });
    const tapsAt = async () => Number((await page.getAttribute('#total-taps', 'data-value')) ?? 0);
    const first = await tapsAt();
    // The simulator keeps tapping: a later refresh shows more taps without reloading the page.
    await page.waitForFunction((before) => Number(document.getElementById('total-taps')!.dataset.value ?? 0) > before, first, { timeout: 30_000 });
    const outcome = await running;
    expect(outcome.stats.serverErrors).toBe(0);
    expect(await tapsAt()).toBeGreaterThan(first);
  }, 120_000);

  it('shows the clearing matrix with the numbers of the API, and charts on non-empty canvases', async () => {
    clock.hold();
    const refreshes = Number(await page.getAttribute('#board', 'data-refreshes'));
    await page.waitForFunction((n) => Number(document.getElementById('board')!.dataset.refreshes) >= n + 2, refreshes, { timeout: 30_000 });
    const api = await t.auditor.get(`/v1/admin/clearing/days/${DAY}`);
    const shown = await page.$$eval('#clearing-matrix td[data-payer]', (cells) =>
      cells.map((c) => ({ payer: (c as HTMLElement).dataset.payer, payee: (c as HTMLElement).dataset.payee, netFen: Number((c as HTMLElement).dataset.fen) })),
    );
    expect(shown).toHaveLength(6);
    expect(shown).toEqual(api.body.matrix.filter((c: any) => c.payer !== c.payee));
    expect(shown.some((c) => c.netFen !== 0)).toBe(true);
    // The text a person reads is the same amount in yuan.
    const oneCell = shown.find((c) => c.netFen !== 0)!;
    const text = await page.textContent(`#clearing-matrix td[data-payer="${oneCell.payer}"][data-payee="${oneCell.payee}"]`);
    expect(text!.replace(/[¥,]/g, '')).toBe((oneCell.netFen / 100).toFixed(2));

    for (const id of ['taps-chart', 'revenue-chart', 'medical-chart', 'positions-chart', 'denials-chart']) {
      const painted = await page.$eval(`#${id} canvas`, (canvas) => {
        const c = canvas as HTMLCanvasElement;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return { pixels: n, width: c.width, height: c.height };
      });
      expect({ id, wide: painted.width > 100, painted: painted.pixels > 500 }).toEqual({ id, wide: true, painted: true });
    }
    expect(await page.textContent('#ledger-status')).toContain('Verified');
    expect(await page.$$eval('#chain-heads tbody tr', (rows) => rows.length)).toBe(17);
    // The CJK font came from this origin, as did everything else.
    expect(await page.evaluate(() => document.fonts.check("16px 'Noto Sans SC'", '清算'))).toBe(true);
    expect(offOrigin).toEqual([]);
    await page.screenshot({ path: join(OUTPUT_DIR, 'dashboard-auditor.png'), fullPage: true });
  }, 60_000);

  it('lets an operator close a day from the page', async () => {
    await page.click('#sign-out');
    await signIn(OPERATOR_TOKEN);
    await page.waitForSelector('#operator-panel:not([hidden])');
    // The day before the simulated one has ended and nothing precedes it: it closes.
    await page.fill('#close-date', '2026-03-01');
    await page.click('#close-submit');
    await page.waitForSelector('#close-result.ok', { timeout: 30_000 });
    expect(await page.textContent('#close-result')).toContain('D-2026-03-01');
    expect((await t.auditor.get('/v1/admin/clearing/statements/D-2026-03-01')).status).toBe(200);
    // Today has not ended: the page shows the refusal.
    await page.fill('#close-date', DAY);
    await page.click('#close-submit');
    await page.waitForSelector('#close-result.bad', { timeout: 30_000 });
    expect(await page.textContent('#close-result')).toContain('has not ended');
    await page.screenshot({ path: join(OUTPUT_DIR, 'dashboard-operator.png'), fullPage: true });
  }, 60_000);
});
