import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { validateRuleSet, type ValidRuleSet } from './domain/rule-set-validation.js';
import type { RuleKind } from './rule-set.js';

/** A rule data file as read from disk: where it is and what its YAML says. */
export interface RuleFile {
  /** Path shown in messages: relative to the working directory when inside it (`rules/transit/all/network.v1.yaml`). */
  path: string;
  context: string;
  regionDir: string;
  kind: string;
  version: number;
  raw: unknown;
}

/** Rule data that cannot be loaded; the message lists every problem, each naming file and pointer. */
export class RuleDataError extends Error {
  constructor(
    readonly problems: string[],
    headline = 'rule data rejected',
  ) {
    super(`${headline}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RuleDataError';
  }
}

/** `rules/<context>/<11|12|13|all>/<kind>.v<version>.yaml` */
const FILE_NAME = /^([a-z][a-z0-9-]*)\.v([1-9]\d*)\.ya?ml$/;
const REGION_DIRS: Record<string, string> = { '11': '11', '12': '12', '13': '13', all: 'ALL' };

export function regionOfDir(dir: string): string | undefined {
  return REGION_DIRS[dir];
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return (rel.startsWith('..') ? path : rel).split(sep).join('/');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

/**
 * Reads every YAML file under `dir`. Other files (README.md) are ignored; a YAML file in the wrong
 * place or with a bad name is a problem, as is YAML that does not parse (with its line).
 */
export function readRuleFiles(dir: string): { files: RuleFile[]; problems: string[] } {
  const root = resolve(dir);
  let paths: string[];
  try {
    paths = walk(root);
  } catch (error) {
    return { files: [], problems: [`${shown(root)}: cannot read the rules directory (${(error as Error).message})`] };
  }
  const files: RuleFile[] = [];
  const problems: string[] = [];
  for (const full of paths) {
    const path = shown(full);
    const parts = relative(root, full).split(sep);
    const name = parts.length === 3 ? FILE_NAME.exec(parts[2]!) : null;
    if (parts.length !== 3 || !name || !REGION_DIRS[parts[1]!]) {
      problems.push(`${path}: rule files live at <context>/<11|12|13|all>/<kind>.v<version>.yaml under the rules directory`);
      continue;
    }
    const doc = parseDocument(readFileSync(full, 'utf8'), { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(`${path}: ${e.message.split('\n')[0]}`);
      continue;
    }
    files.push({ path, context: parts[0]!, regionDir: parts[1]!, kind: name[1]!, version: Number(name[2]), raw: doc.toJS() });
  }
  return { files, problems };
}

/**
 * Reads and validates every rule file under `dir` against the registered kinds: envelope, the
 * kind's schema, source tags, and that the file's place and name agree with its content. Each
 * problem names the file and the JSON pointer inside it.
 */
export function validateRuleFiles(
  dir: string,
  kinds: ReadonlyMap<string, RuleKind<unknown>>,
): { files: RuleFile[]; valid: { file: RuleFile; rs: ValidRuleSet }[]; problems: string[] } {
  const { files, problems } = readRuleFiles(dir);
  const valid: { file: RuleFile; rs: ValidRuleSet }[] = [];
  for (const file of files) {
    const result = validateRuleSet(file.raw, kinds);
    if (!result.ok) {
      for (const i of result.issues) problems.push(`${file.path}: ${i.pointer || '(document)'}: ${i.detail}`);
      continue;
    }
    const c = result.value.content;
    const mismatch = [
      c.context !== file.context && `/context: ${c.context}, but the file is under ${file.context}/`,
      c.region !== regionOfDir(file.regionDir) && `/region: ${c.region}, but the file is under ${file.regionDir}/`,
      c.kind !== file.kind && `/kind: ${c.kind}, but the file is named ${file.kind}.v${file.version}.yaml`,
      c.version !== file.version && `/version: ${c.version}, but the file is named ${file.kind}.v${file.version}.yaml`,
    ].filter((m): m is string => typeof m === 'string');
    for (const m of mismatch) problems.push(`${file.path}: ${m}`);
    if (mismatch.length === 0) valid.push({ file, rs: result.value });
  }
  return { files, valid, problems };
}
