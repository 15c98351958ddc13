import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { contentSha256 } from './domain/content-hash.js';
import { checkFamily, checkPublication, type FamilyShape } from './domain/publication.js';
import { issuesFromZod } from './domain/rule-set-validation.js';
import { RuleKindRegistry } from './rule-kind-registry.js';
import { DEFAULT_POLL_INTERVAL_MS, RULES_OPTIONS, type RulesModuleOptions } from './rule-options.js';
import { PUBLISH_LOCK_SQL, RuleRepository, type Sql, type StoredRuleSet } from './rule-repository.js';
import { RuleDataError, validateRuleFiles } from './rule-files.js';
import type { PublishedRuleSet, RuleRegion, SourceTag } from './rule-set.js';
import { RuleSnapshot } from './rule-snapshot.js';

export interface FileLoadReport {
  files: number;
  published: string[];
  unchanged: number;
}

/**
 * Owns the in-memory rule sets (ADR 0005). At start — `start()`, once the database answers (the
 * service's startup calls it, after every module registered its kinds):
 * validates the rule files, publishes new versions into `rules.rule_sets` idempotently, refuses
 * to start if a published version's content differs, then loads every published version into a
 * snapshot. A publish on this instance reloads at once; other instances notice within the poll
 * interval, because the append-only table's row count only ever grows.
 */
@Injectable()
export class RuleStore implements OnModuleDestroy {
  private readonly logger = new Logger(RuleStore.name);
  private current = RuleSnapshot.empty();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(RULES_OPTIONS) private readonly options: RulesModuleOptions,
    private readonly kinds: RuleKindRegistry,
    private readonly repository: RuleRepository,
    private readonly dataSource: DataSource,
  ) {}

  get snapshot(): RuleSnapshot {
    return this.current;
  }

  /** Publishes the rule files, loads every version and starts polling. Safe to call again after a failed start. */
  async start(): Promise<void> {
    const report = await this.loadFiles(this.options.directory ?? 'rules');
    await this.reload();
    this.logger.log(
      `rules: ${report.files} files, ${report.published.length} newly published${report.published.length ? ` (${report.published.join(', ')})` : ''}, ${this.current.sets.length} versions in memory`,
    );
    const interval = this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (interval > 0 && !this.timer) {
      this.timer = setInterval(() => void this.poll(), interval);
      this.timer.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight.catch(() => undefined);
  }

  /** Reloads when another instance published something since the last load. */
  async poll(): Promise<void> {
    const run = (async () => {
      try {
        if ((await this.repository.count()) !== this.current.revision) await this.reload();
      } catch (error) {
        this.logger.warn({ err: error }, 'rules: could not check for newly published versions; keeping the loaded ones');
      }
    })();
    this.inFlight = run;
    await run;
  }

  /** Loads every published version into a new snapshot; a version that no longer parses is an error. */
  async reload(): Promise<RuleSnapshot> {
    const revision = await this.repository.count();
    const rows = await this.repository.all();
    const problems: string[] = [];
    const kinds = this.kinds.all();
    const sets: PublishedRuleSet[] = [];
    for (const row of rows) {
      const where = `rules.rule_sets ${row.id} version ${row.version}`;
      if (contentSha256(row) !== row.contentSha256) {
        problems.push(`${where}: content does not match its recorded sha256 (changed after publication?)`);
        continue;
      }
      const kind = kinds.get(`${row.context}/${row.kind}`);
      let parameters: unknown = row.parameters;
      if (kind) {
        const parsed = kind.schema.safeParse(row.parameters);
        if (!parsed.success) {
          for (const i of issuesFromZod(parsed.error, ['parameters'])) problems.push(`${where}: ${i.pointer}: ${i.detail}`);
          continue;
        }
        parameters = parsed.data;
      }
      sets.push(toPublished(row, parameters));
    }
    if (problems.length > 0) throw new RuleDataError(problems, 'published rule sets no longer load (a kind schema changed incompatibly?)');
    // Two reloads may race (a poll and a publish): never swap an older table state in.
    if (revision >= this.current.revision) this.current = new RuleSnapshot(sets, revision);
    return this.current;
  }

  /**
   * Validates every file under `dir` and publishes the versions the database does not have yet,
   * all or nothing. The same version with the same content is left alone; with different content
   * the start is refused: a published version is never changed.
   */
  async loadFiles(dir: string): Promise<FileLoadReport> {
    const { files, valid, problems } = validateRuleFiles(dir, this.kinds.all());
    if (problems.length > 0) throw new RuleDataError(problems, `rule files in ${dir} rejected`);

    return this.dataSource.transaction(async (manager) => {
      const sql: Sql = (s, p) => manager.query(s, p);
      await sql(PUBLISH_LOCK_SQL);
      const stored = await this.repository.all(sql);
      const families: FamilyShape[] = await this.repository.families(sql);
      const versions = new Map<string, { version: number; effectiveFrom: string; effectiveTo: string | null; sha: string }[]>();
      for (const s of stored) versions.set(s.id, [...(versions.get(s.id) ?? []), { ...s, sha: s.contentSha256 }]);
      const report: FileLoadReport = { files: files.length, published: [], unchanged: 0 };
      valid.sort((a, b) => (a.rs.content.id < b.rs.content.id ? -1 : a.rs.content.id > b.rs.content.id ? 1 : a.rs.content.version - b.rs.content.version));
      for (const { file, rs } of valid) {
        const c = rs.content;
        const family = versions.get(c.id) ?? [];
        const same = family.find((v) => v.version === c.version);
        if (same) {
          if (same.sha === rs.contentSha256) report.unchanged++;
          else {
            const row = stored.find((s) => s.id === c.id && s.version === c.version)!;
            problems.push(
              `${file.path}: ${c.id} version ${c.version} is already published (${row.sourceFile ?? 'through the API'}, ${row.publishedAt}, by ${row.publishedBy}) ` +
                `with different content (sha256 ${row.contentSha256.slice(0, 12)}…, the file's is ${rs.contentSha256.slice(0, 12)}…); ` +
                `a published version is never changed: restore the file and put the change in version ${Math.max(...family.map((v) => v.version)) + 1}`,
            );
          }
          continue;
        }
        const refusal = checkFamily(c, families) ?? checkPublication(c, family, null);
        if (refusal) {
          problems.push(`${file.path}: ${refusal.pointer ?? ''}: ${refusal.detail}`);
          continue;
        }
        await this.repository.insert(sql, { ...c, contentSha256: rs.contentSha256, publishedBy: 'rules-directory', sourceFile: file.path });
        if (!families.some((f) => f.id === c.id)) families.push({ id: c.id, context: c.context, kind: c.kind, region: c.region });
        versions.set(c.id, [...family, { ...c, sha: rs.contentSha256 }]);
        report.published.push(`${c.id} v${c.version}`);
      }
      if (problems.length > 0) throw new RuleDataError(problems, `rule files in ${dir} cannot be published; the service does not start`);
      return report;
    });
  }
}

function toPublished(row: StoredRuleSet, parameters: unknown): PublishedRuleSet {
  return {
    id: row.id,
    version: row.version,
    context: row.context,
    kind: row.kind,
    region: row.region as RuleRegion,
    effectiveFrom: row.effectiveFrom,
    effectiveTo: row.effectiveTo,
    ...(row.description !== undefined && row.description !== null ? { description: row.description } : {}),
    parameters,
    sources: row.sources as Record<string, SourceTag>,
    ref: { id: row.id, version: row.version },
    contentSha256: row.contentSha256,
    publishedAt: row.publishedAt,
    publishedBy: row.publishedBy,
    sourceFile: row.sourceFile,
  };
}
