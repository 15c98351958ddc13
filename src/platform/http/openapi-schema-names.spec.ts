import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @nestjs/swagger names a schema after its class: two DTO classes of one name (in two contexts)
 * would silently overwrite each other in /docs-json. Every DTO class name must be unique.
 */
describe('OpenAPI schema names', () => {
  it('has no two DTO classes with the same name anywhere in src/', () => {
    const seen = new Map<string, string[]>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(path)) {
          for (const m of readFileSync(path, 'utf8').matchAll(/^(?:export )?class (\w+Dto)\b/gm)) seen.set(m[1]!, [...(seen.get(m[1]!) ?? []), path]);
        }
      }
    };
    walk('src');
    const duplicates = [...seen].filter(([, paths]) => paths.length > 1).map(([name, paths]) => `${name}: ${paths.join(', ')}`);
    expect(seen.size).toBeGreaterThan(50);
    expect(duplicates).toEqual([]);
  });
});
