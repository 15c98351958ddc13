import { checkSourceTags, sourceTagOf } from './source-tags.js';

describe('source tags', () => {
  const parameters = { fares: { BJN: { TJN: 5450, YZH: 950 }, 'A/B': { 'x~y': 1 } }, stations: [{ km: 0 }, { km: 21.3 }], empty: {} };

  it('tags each parameter by the longest covering pointer', () => {
    const sources = { '': 'E', '/fares/BJN/TJN': 'S', '/stations': '3P' } as const;
    expect(sourceTagOf(sources, '/fares/BJN/TJN')).toBe('S');
    expect(sourceTagOf(sources, '/fares/BJN/YZH')).toBe('E');
    expect(sourceTagOf(sources, '/stations/1/km')).toBe('3P');
    expect(checkSourceTags(parameters, sources)).toEqual([]);
  });

  it('matches on token boundaries only', () => {
    expect(sourceTagOf({ '/fares/BJN/T': 'S' }, '/fares/BJN/TJN')).toBeNull();
  });

  it('reports every untagged leaf by its pointer', () => {
    const problems = checkSourceTags(parameters, { '/fares': 'S' });
    expect(problems).toEqual([
      { pointer: '/parameters/stations/0/km', detail: expect.stringMatching(/no source tag/) },
      { pointer: '/parameters/stations/1/km', detail: expect.stringMatching(/no source tag/) },
      { pointer: '/parameters/empty', detail: expect.stringMatching(/no source tag/) },
    ]);
  });

  it('refuses pointers that address nothing (a typo would tag nothing) and escapes them', () => {
    expect(checkSourceTags(parameters, { '': 'E', '/fares/BJN/TJX': 'S', '/fares/A~1B/x~0y': 'S', nope: 'E' })).toEqual([
      { pointer: '/sources/~1fares~1BJN~1TJX', detail: '"/fares/BJN/TJX" points at nothing in parameters' },
      { pointer: '/sources/nope', detail: expect.stringMatching(/not a JSON pointer/) },
    ]);
  });
});
