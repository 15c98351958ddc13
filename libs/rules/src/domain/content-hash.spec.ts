import { parse } from 'yaml';
import { contentSha256, type RuleSetContent } from './content-hash.js';

const base: RuleSetContent = {
  id: 'transit.jingjin',
  version: 1,
  context: 'transit',
  kind: 'network',
  region: 'ALL',
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
  sources: { '': 'E' },
  parameters: { b: [1, 2], a: { y: 1, x: 2.5 } },
};

describe('contentSha256 (canonical JSON)', () => {
  it('ignores key order and how the rule set was written (YAML, JSON, jsonb round trip)', () => {
    const reordered = { parameters: { a: { x: 2.5, y: 1 }, b: [1, 2] }, sources: { '': 'E' }, effectiveTo: null, effectiveFrom: '2026-01-01', region: 'ALL', kind: 'network', context: 'transit', version: 1, id: 'transit.jingjin' };
    const fromYaml = parse(
      'id: transit.jingjin\nversion: 1\ncontext: transit\nkind: network\nregion: ALL\neffectiveFrom: 2026-01-01\nsources: { "": E }\nparameters:\n  a: { x: 2.50, y: 1 }\n  b: [1, 2]\n',
    ) as RuleSetContent;
    expect(contentSha256(reordered as RuleSetContent)).toBe(contentSha256(base));
    expect(contentSha256({ ...fromYaml, effectiveTo: null })).toBe(contentSha256(base));
    expect(contentSha256(JSON.parse(JSON.stringify(base)))).toBe(contentSha256(base));
    expect(contentSha256(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats a missing effectiveTo or description as null', () => {
    const { effectiveTo: _drop, ...noEnd } = base;
    expect(contentSha256(noEnd as RuleSetContent)).toBe(contentSha256(base));
    expect(contentSha256({ ...base, description: null })).toBe(contentSha256(base));
  });

  it('changes with any parameter, tag, date or description', () => {
    const h = contentSha256(base);
    expect(contentSha256({ ...base, parameters: { b: [2, 1], a: { y: 1, x: 2.5 } } })).not.toBe(h);
    expect(contentSha256({ ...base, sources: { '': 'S' } })).not.toBe(h);
    expect(contentSha256({ ...base, effectiveTo: '2026-12-31' })).not.toBe(h);
    expect(contentSha256({ ...base, description: 'x' })).not.toBe(h);
  });
});
