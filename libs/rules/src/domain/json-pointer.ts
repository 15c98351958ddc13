/** RFC 6901 JSON pointers: how rule files, sources and error messages address a value. */

export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toPointer(path: readonly PropertyKey[]): string {
  return path.map((t) => `/${escapeToken(typeof t === 'symbol' ? String(t.description) : t)}`).join('');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`a JSON pointer starts with "/" (or is ""): "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value a pointer addresses, or `undefined` when it addresses nothing. */
export function valueAt(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, token)) {
      node = (node as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return node;
}

/** Pointers of every leaf: a scalar, null, or an empty object or array. */
export function leafPointers(root: unknown, base = ''): string[] {
  if (Array.isArray(root)) {
    if (root.length === 0) return [base];
    return root.flatMap((v, i) => leafPointers(v, `${base}/${i}`));
  }
  if (root !== null && typeof root === 'object') {
    const keys = Object.keys(root);
    if (keys.length === 0) return [base];
    return keys.flatMap((k) => leafPointers((root as Record<string, unknown>)[k], `${base}/${escapeToken(k)}`));
  }
  return [base];
}

/** Whether `prefix` addresses `pointer` or one of its ancestors (on token boundaries). */
export function isPrefixPointer(prefix: string, pointer: string): boolean {
  return prefix === '' || pointer === prefix || pointer.startsWith(`${prefix}/`);
}
