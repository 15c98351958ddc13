import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * One handler shape for every context (ADR 0012): a command handler extends
 * `PlannedCommandHandler` — `plan(command)` gives the engine the envelope, the declared reads, the
 * batch keys and the deciding step. The only others are orchestrators that run other commands'
 * plans (listed here, each with why).
 */
const ORCHESTRATORS: Record<string, string> = {
  TapBatchHandler: 'an offline gate batch: runs each tap through TapCardHandler in tappedAt order',
  ChargeIncompleteJourneysHandler: 'the missing tap-out job: runs one incomplete-charge plan per journey due',
};

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith('.handler.ts')) yield path;
  }
}

function commandHandlers(file: string): { name: string; base: string | null }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: { name: string; base: string | null }[] = [];
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || !node.name) return;
    const decorated = ts.getDecorators(node)?.some((d) => ts.isCallExpression(d.expression) && d.expression.expression.getText(source) === 'CommandHandler');
    if (!decorated) return;
    const extended = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression.getText(source) ?? null;
    out.push({ name: node.name.text, base: extended });
  });
  return out;
}

describe('command handlers', () => {
  const handlers = [...files('src/contexts')].flatMap((file) => commandHandlers(file).map((h) => ({ ...h, file })));

  it('are found', () => {
    expect(handlers.length).toBeGreaterThan(20);
  });

  it('all take the planned shape, but the listed orchestrators', () => {
    const others = handlers.filter((h) => h.base !== 'PlannedCommandHandler' && !(h.name in ORCHESTRATORS));
    expect(others.map((h) => `${h.name} (${h.file})`)).toEqual([]);
  });

  it('list only orchestrators that exist', () => {
    const names = new Set(handlers.map((h) => h.name));
    expect(Object.keys(ORCHESTRATORS).filter((n) => !names.has(n))).toEqual([]);
  });
});
