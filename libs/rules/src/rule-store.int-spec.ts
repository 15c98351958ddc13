import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startTestApp, type TestApp } from '@test/support';
import { TransitNetworkRules } from './kinds/transit-network.kind.js';
import { RuleBook } from './rule-book.js';
import { readRuleFiles } from './rule-files.js';
import { RuleStore } from './rule-store.js';

describe('rule files loaded into PostgreSQL at start (real PostgreSQL)', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T08:00:00+08:00' });
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'onecard-rules-'));
    cpSync('rules', dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const count = async (sql: string) => Number((await t.dataSource.query(sql))[0].n);
  // What the repository's rules/ holds: every file one published version, every (context, kind, region) one family.
  const files = () => readRuleFiles('rules').files;
  const familiesOnDisk = () => new Set(files().map((f) => (f.raw as { id: string }).id)).size;

  it('publishes every file at start and resolves from memory', async () => {
    expect(files().length).toBeGreaterThanOrEqual(20);
    expect(await count(`SELECT count(*)::int AS n FROM rules.rule_sets`)).toBe(files().length);
    expect(await count(`SELECT count(*)::int AS n FROM rules.families`)).toBe(familiesOnDisk());
    const [row] = await t.dataSource.query(`SELECT published_by, source_file, content_sha256 FROM rules.rule_sets WHERE id = 'transit.jingjin' AND version = 2`);
    expect(row).toMatchObject({ published_by: 'rules-directory', source_file: 'rules/transit/all/network.v2.yaml' });
    const rules = t.get<RuleBook>(RuleBook);
    expect(rules.resolve(TransitNetworkRules, '12', new Date('2026-12-31T23:59:59+08:00')).ref).toEqual({ id: 'transit.jingjin', version: 1 });
    const v2 = rules.resolve(TransitNetworkRules, '12', new Date('2026-12-31T16:00:00Z'));
    expect(v2.ref).toEqual({ id: 'transit.jingjin', version: 2 });
    expect(v2.parameters.stations.find((s) => s.code === 'YLE')?.inService).toBe(true);
  });

  it('loads the same files again without writing anything (a second start)', async () => {
    const store = t.get<RuleStore>(RuleStore);
    const report = await store.loadFiles(dir);
    expect(report).toEqual({ files: files().length, published: [], unchanged: files().length });
    expect(await count(`SELECT count(*)::int AS n FROM rules.rule_sets`)).toBe(files().length);
  });

  it('publishes a new version file, and refuses to start when a published version changed', async () => {
    const store = t.get<RuleStore>(RuleStore);
    const v1 = readFileSync(join(dir, 'cards/12/top-up-limits.v1.yaml'), 'utf8');
    writeFileSync(join(dir, 'cards/12/top-up-limits.v2.yaml'), v1.replace('version: 1', 'version: 2').replace('effectiveFrom: 2026-01-01', 'effectiveFrom: 2026-07-01').replace('minimumFen: 30000', 'minimumFen: 20000'));
    expect((await store.loadFiles(dir)).published).toEqual(['cards.top-up-limits.tianjin v2']);

    writeFileSync(join(dir, 'transit/all/network.v1.yaml'), readFileSync(join(dir, 'transit/all/network.v1.yaml'), 'utf8').replace('TJN: 5450,', 'TJN: 5500,'));
    const refused = store.loadFiles(dir);
    await expect(refused).rejects.toThrow(/network\.v1\.yaml: transit\.jingjin version 1 is already published \(rules\/transit\/all\/network\.v1\.yaml, .*\) with different content/);
    await expect(refused).rejects.toThrow(/a published version is never changed: restore the file and put the change in version 3/);
    expect(await count(`SELECT count(*)::int AS n FROM rules.rule_sets`)).toBe(files().length + 1);
  });

  it('refuses a file version that skips a number or overlaps a later-starting version, all or nothing', async () => {
    const store = t.get<RuleStore>(RuleStore);
    const v1 = readFileSync(join(dir, 'cards/13/top-up-limits.v1.yaml'), 'utf8');
    writeFileSync(join(dir, 'cards/13/top-up-limits.v3.yaml'), v1.replace('version: 1', 'version: 3'));
    await expect(store.loadFiles(dir)).rejects.toThrow(/top-up-limits\.v3\.yaml: \/version: the next version of cards\.top-up-limits\.hebei is 2, not 3/);
    rmSync(join(dir, 'cards/13/top-up-limits.v3.yaml'));
    writeFileSync(join(dir, 'transit/all/network.v3.yaml'), readFileSync(join(dir, 'transit/all/network.v2.yaml'), 'utf8').replace('version: 2', 'version: 3').replace('effectiveFrom: 2027-01-01', 'effectiveFrom: 2026-09-01'));
    await expect(store.loadFiles(dir)).rejects.toThrow(/network\.v3\.yaml: \/effectiveFrom: version 2 of transit\.jingjin takes effect on 2027-01-01/);
    // All or nothing: neither refused file published anything.
    expect(await count(`SELECT count(*)::int AS n FROM rules.rule_sets WHERE id IN ('cards.top-up-limits.hebei', 'transit.jingjin')`)).toBe(3);
  });

  it('refuses UPDATE and DELETE of published versions: by privilege for the service, by trigger for the owner', async () => {
    await expect(t.dataSource.query(`UPDATE rules.rule_sets SET description = 'x'`)).rejects.toThrow(/permission denied|append-only/);
    const owner = new pg.Client({ connectionString: t.db.url });
    await owner.connect();
    try {
      await expect(owner.query(`UPDATE rules.rule_sets SET description = 'x'`)).rejects.toThrow(/rules\.rule_sets is append-only: UPDATE refused/);
      await expect(owner.query(`DELETE FROM rules.families`)).rejects.toThrow(/rules\.families is append-only: DELETE refused/);
      await expect(owner.query(`TRUNCATE rules.rule_sets CASCADE`)).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });
});
