import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** Who owns each PostgreSQL schema: a context folder or a library. */
export const SCHEMA_OWNERS: Record<string, string> = {
  ledger: 'libs/ledger',
  rules: 'libs/rules',
  registry: 'src/contexts/registry',
  cards: 'src/contexts/cards',
  transit: 'src/contexts/transit',
  medical: 'src/contexts/medical',
  scenic: 'src/contexts/scenic',
  museums: 'src/contexts/museums',
  libraries: 'src/contexts/libraries',
  clearing: 'src/contexts/clearing',
};

export interface SqlReference {
  file: string;
  line: number;
  name: string;
}

/** Looks like SQL: a statement keyword in upper case (our SQL style), not a command type like `transit.tap`. */
const SQL_HINT = /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|FROM|JOIN|CREATE|ALTER|EXECUTE|WITH)\b/;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name === 'testing' || name === 'node_modules') continue;
      yield* sourceFiles(path);
    } else if (name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) && !name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

/** The text of every string and template literal of a file (template parts without their `${…}`), with lines. */
function literals(file: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    const line = () => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push({ text: node.text, line: line() });
    else if (ts.isTemplateExpression(node)) {
      out.push({ text: [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' '), line: line() });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/**
 * Every `schema.name` that SQL in `root` (a context folder or library, tests and `testing/`
 * excluded) names in a schema it does not own.
 */
export function foreignSqlReferences(root: string, repo: string): SqlReference[] {
  const own = Object.entries(SCHEMA_OWNERS)
    .filter(([, owner]) => owner === root)
    .map(([schema]) => schema);
  const others = Object.keys(SCHEMA_OWNERS).filter((s) => !own.includes(s));
  const pattern = new RegExp(`\\b(${others.join('|')})\\.([a-z_][a-z0-9_]*)\\b`, 'g');
  const found: SqlReference[] = [];
  for (const file of sourceFiles(join(repo, root))) {
    for (const { text, line } of literals(file)) {
      if (!SQL_HINT.test(text)) continue;
      // Quoted strings inside the SQL are values ('transit.tap' is a command type, not a table).
      const sql = text.replace(/'(?:[^']|'')*'/g, "''");
      for (const m of sql.matchAll(pattern)) found.push({ file: relative(repo, file), line, name: `${m[1]}.${m[2]}` });
    }
  }
  return found;
}
