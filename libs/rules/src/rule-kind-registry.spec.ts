import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { RuleKindRegistry } from './rule-kind-registry.js';
import { defineRuleKind } from './rule-set.js';
import { RulesModule } from './rules.module.js';

const A = defineRuleKind('alpha', 'one', z.strictObject({ a: z.int() }));
const B = defineRuleKind('beta', 'two', z.strictObject({ b: z.int() }));
const DefaultA = defineRuleKind('alpha', 'one', z.strictObject({ a: z.number() }));

@Global()
@Module({ providers: [RuleKindRegistry], exports: [RuleKindRegistry] })
class RegistryOnly {}

describe('rule kind registration', () => {
  it('registers the kinds of every forFeature import (no two dynamic modules collapse into one)', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RegistryOnly, RulesModule.forFeature([A]), RulesModule.forFeature([B])] }).compile();
    const kinds = moduleRef.get(RuleKindRegistry).all();
    expect([...kinds.keys()].sort()).toEqual(['alpha/one', 'beta/two']);
    await moduleRef.close();
  });

  it("lets a context's kind replace the library default and refuses two different schemas for one kind", () => {
    const registry = new RuleKindRegistry();
    registry.registerDefaults([DefaultA]);
    expect(registry.all().get('alpha/one')).toBe(DefaultA);
    registry.register([A]);
    expect(registry.all().get('alpha/one')).toBe(A);
    registry.register([A]);
    expect(() => registry.register([defineRuleKind('alpha', 'one', z.strictObject({}))])).toThrow(/registered twice with different schemas/);
  });

  it('refuses kind names that would not fit a file name', () => {
    expect(() => defineRuleKind('Transit', 'network', z.strictObject({}))).toThrow(/context/);
    expect(() => defineRuleKind('transit', 'net/work', z.strictObject({}))).toThrow(/kind/);
  });
});
