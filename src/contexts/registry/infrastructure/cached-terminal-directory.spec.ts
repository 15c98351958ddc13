import type { TerminalIdentity } from '@onecard/platform';
import { CachedTerminalDirectory, TERMINAL_CACHE_TTL_MS } from './cached-terminal-directory.js';
import type { RegistryRepository, TerminalRow } from './registry.repository.js';

/** A repository stand-in that counts queries and can hold one back. */
class FakeRepository {
  rows = new Map<string, TerminalRow>();
  queries = 0;
  gate: Promise<void> | null = null;

  async findTerminal(id: string): Promise<TerminalRow | null> {
    this.queries++;
    const snapshot = this.rows.get(id) ?? null;
    if (this.gate) await this.gate;
    return snapshot ? { ...snapshot } : null;
  }
}

const row = (enabled: boolean): TerminalRow => ({
  terminalId: 'TJN-G-IN-1',
  kind: 'GATE',
  venueId: 'TJN',
  cardNo: null,
  region: '12',
  direction: 'IN',
  enabled,
  version: 1,
  registeredAt: new Date(0),
  updatedAt: new Date(0),
});

describe('CachedTerminalDirectory', () => {
  let repo: FakeRepository;
  let directory: CachedTerminalDirectory;
  let now = 1_000_000;

  beforeEach(() => {
    repo = new FakeRepository();
    repo.rows.set('TJN-G-IN-1', row(true));
    directory = new CachedTerminalDirectory(repo as unknown as RegistryRepository);
    directory.wallClock = () => now;
  });

  it('answers from memory within the TTL and reloads after it', async () => {
    expect((await directory.findTerminal('TJN-G-IN-1'))?.enabled).toBe(true);
    repo.rows.set('TJN-G-IN-1', row(false)); // changed by another instance
    now += TERMINAL_CACHE_TTL_MS - 1;
    expect((await directory.findTerminal('TJN-G-IN-1'))?.enabled).toBe(true);
    expect(repo.queries).toBe(1);
    now += 1;
    expect((await directory.findTerminal('TJN-G-IN-1'))?.enabled).toBe(false);
    expect(repo.queries).toBe(2);
  });

  it('caches unknown ids too, and forgets them when told', async () => {
    expect(await directory.findTerminal('NEW-1')).toBeNull();
    expect(await directory.findTerminal('NEW-1')).toBeNull();
    expect(repo.queries).toBe(1);
    repo.rows.set('NEW-1', { ...row(true), terminalId: 'NEW-1' });
    directory.invalidate('NEW-1');
    expect((await directory.findTerminal('NEW-1'))?.terminalId).toBe('NEW-1');
  });

  it('shares one query among concurrent misses', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => directory.findTerminal('TJN-G-IN-1')));
    expect(answers.every((a: TerminalIdentity | null) => a?.enabled === true)).toBe(true);
    expect(repo.queries).toBe(1);
  });

  it('does not store what a load read before an invalidation', async () => {
    let release!: () => void;
    repo.gate = new Promise((r) => (release = r));
    const stale = directory.findTerminal('TJN-G-IN-1'); // reads enabled=true, then waits
    repo.rows.set('TJN-G-IN-1', row(false));
    directory.invalidate('TJN-G-IN-1'); // the disable committed meanwhile
    repo.gate = null;
    release();
    expect((await stale)?.enabled).toBe(true); // that caller raced the change…
    expect((await directory.findTerminal('TJN-G-IN-1'))?.enabled).toBe(false); // …but nothing stale was kept
  });
});
