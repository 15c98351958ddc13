import { IsInt, IsString, Min, validateSync } from 'class-validator';
import { memoiseValidationMetadata } from './validation.js';

class Base {
  @IsString() name!: string;
}

class Child extends Base {
  @IsInt() @Min(1) count!: number;
}

describe('memoised class-validator metadata', () => {
  beforeAll(() => memoiseValidationMetadata());

  it('validates as class-validator does, inherited constraints included, again and again', () => {
    for (let i = 0; i < 3; i++) {
      const errors = validateSync(Object.assign(new Child(), { name: 7, count: 0 }));
      expect(errors.map((e) => [e.property, Object.keys(e.constraints ?? {}).sort()])).toEqual([
        ['count', ['min']],
        ['name', ['isString']],
      ]);
      expect(validateSync(Object.assign(new Child(), { name: 'ok', count: 2 }))).toEqual([]);
    }
  });

  it('sees constraints registered after a lookup (a class loaded later)', () => {
    class Late {
      @IsString() code!: string;
    }
    expect(validateSync(Object.assign(new Late(), { code: 1 }))).toHaveLength(1);
    class LateChild extends Late {}
    IsInt()(LateChild.prototype, 'extra');
    expect(validateSync(Object.assign(new LateChild(), { code: 'x', extra: 'y' })).map((e) => e.property)).toEqual(['extra']);
  });
});
