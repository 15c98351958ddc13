/**
 * Issue 12 §4: no security headers on any route. Every answer now carries them (helmet);
 * the policy lets Swagger UI at /docs work — checked in a real headless Chromium, which must render
 * the operations and report no Content-Security-Policy violation.
 */
import { parseEnv } from '@onecard/platform';
import { rawRequest, type HttpAnswer } from '@onecard/testing';
import { startTestApp, type TestApp } from '@test/support';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHROMIUM = '/usr/bin/chromium';

function expectSecurityHeaders(res: HttpAnswer): void {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  const csp = res.headers.get('content-security-policy') ?? '';
  for (const directive of ["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "script-src 'self'", "base-uri 'self'"])
    expect(csp).toContain(directive);
  expect(csp).not.toMatch(/https:|upgrade-insecure-requests/);
}

describe('security headers (black box)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The test client connects from 127.0.0.1: trust it as the TLS-terminating proxy.
    t = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
  });
  afterAll(() => t?.close());

  it('puts them on API answers, errors and health alike, with no inline styles allowed outside /docs', async () => {
    const answers = [
      await rawRequest(t.baseUrl, 'GET', '/health/live', {}),
      await t.operator.get('/v1/admin/venues'),
      await rawRequest(t.baseUrl, 'GET', '/v1/admin/venues', {}),
      await rawRequest(t.baseUrl, 'POST', '/v1/scenic/taps', { 'content-type': 'application/json' }, '{'),
      await rawRequest(t.baseUrl, 'GET', '/no/such/route', {}),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 400, 404]);
    for (const res of answers) {
      expectSecurityHeaders(res);
      expect(res.headers.get('content-security-policy')).toMatch(/style-src 'self'(;|$)/);
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('sends HSTS only for a request that came over TLS through a trusted proxy', async () => {
    const res = await rawRequest(t.baseUrl, 'GET', '/health/live', { 'x-forwarded-proto': 'https' });
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    // Without TRUST_PROXY (the default) nobody's X-Forwarded-Proto is believed.
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
  });

  it('serves /docs with a policy Swagger UI works under: scripts and styles from the service, inline styles only there', async () => {
    const page = await rawRequest(t.baseUrl, 'GET', '/docs', {});
    expect(page.status).toBe(200);
    expectSecurityHeaders(page);
    expect(page.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
    const html = page.text;
    // Every script is a file of the service (script-src 'self' has no 'unsafe-inline').
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const attrs of scripts) expect(attrs).toMatch(/src=/);
    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]!);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const res = await rawRequest(t.baseUrl, 'GET', new URL(asset, `${t.baseUrl}/docs`).pathname, {});
      expect(`${asset} ${res.status}`).toBe(`${asset} 200`);
      expectSecurityHeaders(res);
    }
  });

  /** Runs Chromium without blocking this process's event loop: the service it loads from runs here. */
  function chromium(args: string[]): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        resolve({ stdout, stderr });
      });
    });
  }

  it('renders Swagger UI in headless Chromium with no Content-Security-Policy violation', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is needed for this test: apt-get install -y chromium (.ci/run does)`);
    const profile = mkdtempSync(join(tmpdir(), 'onecard-chromium-'));
    try {
      const run = await chromium([
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--enable-logging=stderr',
        '--v=0',
        '--virtual-time-budget=15000',
        '--dump-dom',
        `${t.baseUrl}/docs`,
      ]);
      const dom = run.stdout;
      // Swagger UI rendered the document: its title and the operations of the protocol.
      expect(dom).toContain('onecard — terminal protocol v1');
      expect(dom).toContain('/v1/transit/taps');
      expect(dom).toMatch(/class="opblock/);
      const violations = run.stderr.split('\n').filter((line) => /Content Security Policy|Refused to/i.test(line));
      expect(violations).toEqual([]);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
