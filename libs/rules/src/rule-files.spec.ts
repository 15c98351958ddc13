import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { validateRuleSet } from './domain/rule-set-validation.js';
import { DEFAULT_RULE_KINDS } from './kinds/default-kinds.js';
import { validateRuleFiles } from './rule-files.js';
import { kindKey, type RuleKind } from './rule-set.js';

const kinds = new Map<string, RuleKind<unknown>>(DEFAULT_RULE_KINDS.map((k) => [kindKey(k), k]));
const network = readFileSync('rules/transit/all/network.v1.yaml', 'utf8');

describe('rule files: invalid data is rejected with the file and the pointer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'onecard-rules-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  // Paths outside the working directory are shown absolute; compare them relative to the temp dir.
  const problemsOf = () => validateRuleFiles(dir, kinds).problems.map((p) => p.replace(`${dir}/`, ''));

  it('accepts the repository file as is', () => {
    write('transit/all/network.v1.yaml', network);
    expect(validateRuleFiles(dir, kinds)).toMatchObject({ problems: [], valid: [{ rs: { content: { id: 'transit.jingjin', version: 1 } } }] });
  });

  it('names a fare that is not integer fen', () => {
    write('transit/all/network.v1.yaml', network.replace('TJN: 5450,', 'TJN: 54.5,'));
    expect(problemsOf()).toEqual(['transit/all/network.v1.yaml: /parameters/fares/BJN/TJN: expected integer fen']);
  });

  it('names an unknown field and a bad enum value', () => {
    write('transit/all/network.v1.yaml', network.replace('  duplicateTapWindowSeconds: 10', '  duplicateTapWindowSecs: 10\n  duplicateTapWindowSeconds: 10').replace('rounding: HALF_UP', 'rounding: NEAREST'));
    expect(problemsOf()).toEqual([
      'transit/all/network.v1.yaml: /parameters/firstClass/rounding: Invalid option: expected one of "HALF_UP"|"CEIL"|"FLOOR"',
      'transit/all/network.v1.yaml: /parameters/duplicateTapWindowSecs: unknown field "duplicateTapWindowSecs"',
    ]);
  });

  it('names a missing fare cell and an unknown station', () => {
    write('transit/all/network.v1.yaml', network.replace(' BHI: 7550 }', ' XXX: 7550 }'));
    expect(problemsOf()).toEqual([
      'transit/all/network.v1.yaml: /parameters/fares/BJN/XXX: unknown station XXX',
      'transit/all/network.v1.yaml: /parameters/fares/BJN/BHI: missing fare from BJN to BHI',
    ]);
  });

  it('refuses an untagged parameter and a source pointer that addresses nothing', () => {
    write('transit/all/network.v1.yaml', network.replace('  "": E\n', '').replace('/fares/BJN/YZH: S', '/fares/BJN/YZX: S'));
    const problems = problemsOf();
    expect(problems).toContain('transit/all/network.v1.yaml: /sources/~1fares~1BJN~1YZX: "/fares/BJN/YZX" points at nothing in parameters');
    expect(problems).toContain('transit/all/network.v1.yaml: /parameters/fares/BJN/WQI: no source tag: add a pointer covering it to sources (or a default "")');
  });

  it('refuses a kind no module registered (typo guard)', () => {
    write('transit/all/netwrk.v1.yaml', network.replace('kind: network', 'kind: netwrk'));
    expect(problemsOf()).toEqual([expect.stringMatching(/^transit\/all\/netwrk\.v1\.yaml: \/kind: no module registered rule kind transit\/netwrk \(known: .*transit\/network/)]);
  });

  it('refuses a file whose place or name disagrees with its content', () => {
    write('transit/12/network.v1.yaml', network);
    write('transit/all/network.v3.yaml', network);
    expect(problemsOf()).toEqual([
      'transit/12/network.v1.yaml: /region: ALL, but the file is under 12/',
      'transit/all/network.v3.yaml: /version: 1, but the file is named network.v3.yaml',
    ]);
  });

  it('refuses files in the wrong place, YAML that does not parse, and bad envelopes', () => {
    write('transit/network.v1.yaml', network);
    write('transit/all/network.v1.yaml', `${network}\nid: again\n`);
    write('medical/11/policy.v1.yaml', 'id: medical.policy.beijing\nversion: 0\ncontext: medical\nkind: policy\nregion: "14"\neffectiveFrom: 2026-02-30\neffectiveTo: 2025-01-01\nsources: {}\nparameters: {}\n');
    const problems = problemsOf();
    expect(problems).toContain('medical/11/policy.v1.yaml: /version: versions start at 1');
    expect(problems).toContain('medical/11/policy.v1.yaml: /region: expected region "11", "12", "13" or "ALL"');
    expect(problems).toContain('medical/11/policy.v1.yaml: /effectiveFrom: expected a date YYYY-MM-DD');
    expect(problems.some((p) => /^transit\/network\.v1\.yaml: rule files live at <context>\/<11\|12\|13\|all>\/<kind>\.v<version>\.yaml/.test(p))).toBe(true);
    expect(problems.some((p) => /^transit\/all\/network\.v1\.yaml: Map keys must be unique/.test(p))).toBe(true);
  });

  it('refuses an effectiveTo before effectiveFrom and an id outside its context', () => {
    const result = validateRuleSet({ ...(parse(network) as object), id: 'medical.jingjin', effectiveTo: '2025-12-31' }, kinds);
    expect(result).toEqual({
      ok: false,
      issues: expect.arrayContaining([
        { pointer: '/effectiveTo', detail: 'effectiveTo 2025-12-31 is before effectiveFrom 2026-01-01' },
        { pointer: '/id', detail: 'a family id starts with its context: "transit.…"' },
      ]),
    });
  });
});
