import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { ProblemError } from '@onecard/kernel';
import { createValidationPipe } from './validation.js';

class Item {
  @IsString() code!: string;
  @IsInt() @Min(1) quantity!: number;
}

class Body {
  @Matches(/^[A-Za-z0-9_-]{1,64}$/) settlementId!: string;
  @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
}

describe('validation pipe', () => {
  const pipe = createValidationPipe();
  const validate = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Body });

  it('passes a valid body through as the DTO class', async () => {
    const out = await validate({ settlementId: 's-1', items: [{ code: 'A', quantity: 2 }] });
    expect(out).toBeInstanceOf(Body);
  });

  it('names every bad field by JSON pointer, unknown fields included', async () => {
    const error: ProblemError = await validate({
      settlementId: 'bad id!',
      items: [
        { code: 'A', quantity: 0 },
        { code: 7, quantity: 1, extra: true },
      ],
      surprise: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.problem.status).toBe(400);
    const pointers = error.problem.errors!.map((e) => e.pointer).sort();
    expect(pointers).toEqual(['/items/0/quantity', '/items/1/code', '/items/1/extra', '/settlementId', '/surprise']);
    expect(error.problem.errors!.find((e) => e.pointer === '/surprise')!.detail).toBe('unknown field "surprise"');
  });
});
