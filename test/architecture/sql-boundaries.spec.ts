import { CARDS_SQL } from '@contexts/cards';
import { LEDGER_SQL } from '@onecard/ledger';
import { readdirSync } from 'node:fs';
import { foreignSqlReferences, SCHEMA_OWNERS } from './sql-boundaries.js';

/**
 * No SQL text crosses a module boundary (STYLE.md rule 5, ADR 0012): a context's SQL names its own
 * schema's tables and, of another schema, only the views and functions that schema's owner exports
 * (`LEDGER_SQL`, `CARDS_SQL`, …). The database test beside this one checks those names are views
 * or functions, never tables.
 */
export const EXPORTED_SQL_NAMES = new Set<string>([...Object.values(LEDGER_SQL), ...Object.values(CARDS_SQL)]);

describe('SQL boundaries between contexts', () => {
  const repo = process.cwd();
  const contexts = readdirSync('src/contexts').map((c) => `src/contexts/${c}`);

  it.each([...contexts, 'libs/rules', 'libs/ledger'])('%s names nothing of another schema but what its owner exports', (root) => {
    const offending = foreignSqlReferences(root, repo).filter((r) => !EXPORTED_SQL_NAMES.has(r.name));
    expect(offending).toEqual([]);
  });

  it('finds a reference to another context’s table (the check works)', () => {
    // A literal as a context might write it by mistake, checked with the same scanner.
    expect(SCHEMA_OWNERS.cards).toBe('src/contexts/cards');
    const refs = foreignSqlReferences('test/architecture/fixtures', repo);
    expect(refs.map((r) => r.name).sort()).toEqual(['cards.cards', 'ledger.journal']);
  });
});
