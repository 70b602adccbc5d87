// The field paths of spec/PROCEDURE.md (`a.b`, `a[].b`, `$` for the whole value), read and written by one set of
// functions with one rule for `[]`: reading takes the first element that is neither null nor absent, writing writes
// the first element. The classifier, raiseForStatus, the vectors, the emulator and the arbitraries all use these.
// No Node built-ins: the classifier runs in browsers and edge runtimes.

/** Reads one value at a compiled path; `[]` segments read the first non-null element of an array. */
export type Reader = (object: Record<string, unknown>) => unknown;

const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A non-null object, arrays included (the readers test for arrays where a path step needs to). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Compiles a dotted path into a reader. Keys that are Object.prototype members are read as own keys only. */
export function compileReader(path: string): Reader {
  if (path === '$') return (o) => o;
  const steps = path.split('.').map((part) => {
    const each = part.endsWith('[]');
    const key = each ? part.slice(0, -2) : part;
    return { key, each, guarded: PROTOTYPE_KEYS.has(key) };
  });
  // Plain dotted paths (the common case) get a closure per depth with the keys as its own constants: each keyed
  // load then sees one key, which V8's inline caches serve almost as fast as a named load. (No code is generated:
  // the readers must work where eval and new Function are forbidden.)
  if (!steps.some((s) => s.each || s.guarded)) {
    const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    const keys = steps.map((s) => s.key);
    const plain = (reader: Reader): Reader =>
      keys.every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) ? Object.assign(reader, { keys }) : reader;
    if (keys.length === 1) {
      const [a] = keys as [string];
      return plain((o) => (obj(o) ? o[a] : undefined));
    }
    if (keys.length === 2) {
      const [a, b] = keys as [string, string];
      return plain((o) => {
        if (!obj(o)) return undefined;
        const v = o[a];
        return obj(v) ? v[b] : undefined;
      });
    }
    if (keys.length === 3) {
      const [a, b, c] = keys as [string, string, string];
      return plain((o) => {
        if (!obj(o)) return undefined;
        const v = o[a];
        if (!obj(v)) return undefined;
        const w = v[b];
        return obj(w) ? w[c] : undefined;
      });
    }
  }
  return (o) => {
    let value: unknown = o;
    for (const { key, each, guarded } of steps) {
      if (!isRecord(value) || Array.isArray(value)) return undefined;
      value = guarded && !Object.hasOwn(value, key) ? undefined : value[key];
      if (each) value = Array.isArray(value) ? value.find((v) => v !== undefined && v !== null) : undefined;
    }
    return value;
  };
}

const readers = new Map<string, Reader>();
/** The value at a path of any value, as the classifier reads it (each path compiled once). */
export function readPath(root: unknown, path: string): unknown {
  let read = readers.get(path);
  if (read === undefined) readers.set(path, (read = compileReader(path)));
  return read(root as Record<string, unknown>);
}

/** Sets (mutates) an own data property: a key named `__proto__` stays a key. */
export function put(object: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  // Only `__proto__` needs defineProperty (an assignment would set the prototype); it is much slower than `=`.
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else (object as Record<string | number, unknown>)[key] = value;
}

/**
 * Writes (mutates `root`) `value` at a path: `[]` reads every element of an array, so it writes the first; the
 * objects and arrays on the way are created, and whatever of another type stands on the way is replaced.
 */
export function setAtPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  let current: Record<string, unknown> = root;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const each = segment.endsWith('[]');
    const key = each ? segment.slice(0, -2) : segment;
    if (each) {
      let array = Object.hasOwn(current, key) ? current[key] : undefined;
      if (!Array.isArray(array)) put(current, key, (array = []));
      const items = array as unknown[];
      if (last) {
        put(items, 0, value);
        return;
      }
      if (typeof items[0] !== 'object' || items[0] === null || Array.isArray(items[0])) put(items, 0, {});
      current = items[0] as Record<string, unknown>;
      return;
    }
    if (last) {
      put(current, key, value);
      return;
    }
    let child = Object.hasOwn(current, key) ? current[key] : undefined;
    if (typeof child !== 'object' || child === null || Array.isArray(child)) put(current, key, (child = {}));
    current = child as Record<string, unknown>;
  });
}

/** A copy of `base` with `value` written at `path`; `base` is left alone (`$`, the whole value, returns `base`). */
export function withValueAt(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  if (path === '$') return base;
  const root = structuredClone(base);
  setAtPath(root, path, value);
  return root;
}
