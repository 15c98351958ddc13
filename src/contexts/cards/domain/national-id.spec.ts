import { maskNationalId } from '@onecard/kernel';
import { birthDateOfNationalId, makeNationalId, nationalIdCheckCharacter, nationalIdProblem, normalizeNationalId } from './national-id.js';

describe('national ID (GB 11643)', () => {
  it('computes the ISO 7064 MOD 11-2 check character, including X and 0', () => {
    // Published example: 11010519491231002X.
    expect(nationalIdCheckCharacter('11010519491231002')).toBe('X');
    expect(nationalIdCheckCharacter('44052418800101001')).toBe('4');
    // Every remainder maps to its character: walk the sequence until all 11 have been seen.
    const seen = new Set<string>();
    for (let seq = 0; seq < 1000 && seen.size < 11; seq++) seen.add(nationalIdCheckCharacter(`120104198501150${String(seq).padStart(2, '0')}`.slice(0, 17)));
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it('accepts valid IDs, with a lower-case x normalised', () => {
    expect(nationalIdProblem('11010519491231002X')).toBeNull();
    expect(nationalIdProblem('11010519491231002x', '1949-12-31')).toBeNull();
    expect(normalizeNationalId(' 11010519491231002x ')).toBe('11010519491231002X');
    const made = makeNationalId('120104', '1985-01-15', 123);
    expect(made).toHaveLength(18);
    expect(nationalIdProblem(made, '1985-01-15')).toBeNull();
    expect(birthDateOfNationalId(made)).toBe('1985-01-15');
  });

  it.each([
    ['1101051949123100', 'a national ID is 17 digits followed by a digit or X'],
    ['1101051949123100XX', 'a national ID is 17 digits followed by a digit or X'],
    ['11010519491231002Y', 'a national ID is 17 digits followed by a digit or X'],
    ['99010519491231002X', 'the first 6 digits are not an administrative region code'],
    [makeNationalId('120104', '1985-02-29', 1).slice(0, 17) + '0', 'digits 7–14 are not a birth date (YYYYMMDD)'],
    ['110105' + '18991231' + '0010', 'digits 7–14 are not a birth date (YYYYMMDD)'],
    ['110105194912310021', 'the check character (last) does not match the first 17 digits'],
  ])('refuses %s: %s', (id, problem) => {
    expect(nationalIdProblem(id)).toBe(problem);
  });

  it('refuses an ID whose birth digits disagree with the stated birth date', () => {
    expect(nationalIdProblem('11010519491231002X', '1949-12-30')).toBe('digits 7–14 do not match birthDate');
  });

  it('never shows more than region and last four when masked', () => {
    expect(maskNationalId('11010519491231002X')).toBe('110105********002X');
  });

  it('refuses bad inputs to the builder', () => {
    expect(() => makeNationalId('12010', '1985-01-15', 1)).toThrow();
    expect(() => makeNationalId('120104', '1985-01-15', 1000)).toThrow();
    expect(() => nationalIdCheckCharacter('123')).toThrow();
  });
});
