// The field paths: reading, writing and copying by one rule for `[]`, and the TypeScript reader and the Python
// reference's (error_contract._classify._compile_reader) reading the same values at the same paths.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileReader, put, readPath, setAtPath, withValueAt } from '../../src/field-path.js';
import { packageRoot } from '../../src/paths.js';

const KEYS = ['a', 'b', 'error', 'code', '__proto__', 'constructor', 'toString'];

/** JSON text of values built from the keys above: nested objects, arrays with nulls, scalars. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, 0, 1.5, '', 'x', 'rate_limit_exceeded'),
    fc.array(fc.oneof(fc.constant(null), tie('value')), { maxLength: 3 }),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 3 }).map((pairs) => {
      const object: Record<string, unknown> = {};
      for (const [key, value] of pairs) put(object, key, value);
      return object;
    }),
  ),
})).value;

const path = fc.oneof(
  { arbitrary: fc.constant('$'), weight: 1 },
  {
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...KEYS), fc.boolean()), { minLength: 1, maxLength: 4 })
      .map((steps) => steps.map(([k, each]) => (each ? `${k}[]` : k)).join('.')),
    weight: 9,
  },
);

/** What a reader gave, as JSON: absent (undefined in TypeScript, _UNSET in Python) or the value. */
const shown = (value: unknown) => (value === undefined ? { absent: true } : { value });

describe('field paths', () => {
  it('read `[]` as the first element that is neither null nor absent', () => {
    expect(readPath({ errors: { data: [null, { code: 'x' }] } }, 'errors.data[].code')).toBe('x');
    expect(readPath({ choices: [null, null] }, 'choices[].finish_reason')).toBeUndefined();
    expect(readPath({ output: [{ status: 'failed' }] }, 'output[]')).toEqual({ status: 'failed' });
    expect(readPath([{ a: 1 }], 'a')).toBeUndefined();
    expect(readPath({}, 'constructor')).toBeUndefined();
    expect(readPath({ a: 1 }, '$')).toEqual({ a: 1 });
  });

  it('write at a path (mutating), and copy with a value at a path (leaving the original alone)', () => {
    const root: Record<string, unknown> = { a: 'scalar' };
    setAtPath(root, 'a.b[].c', 1);
    expect(root).toEqual({ a: { b: [{ c: 1 }] } });
    setAtPath(root, '__proto__.x', 2);
    expect(Object.hasOwn(root, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(root)).toBe(Object.prototype);
    const base = { status: 'failed' };
    const copy = withValueAt(base, 'error.code', 'server_error');
    expect(copy).toEqual({ status: 'failed', error: { code: 'server_error' } });
    expect(base).toEqual({ status: 'failed' });
  });

  it('read back what was written, at every generated path', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KEYS),
        path.filter((p) => p !== '$'),
        fc.string(),
        (key, p, value) => {
          const root: Record<string, unknown> = {};
          put(root, key, 1);
          setAtPath(root, p, value);
          expect(compileReader(p)(root)).toBe(value);
        },
      ),
    );
  });

  const python = join(packageRoot, '.venv', 'bin', 'python');
  it('are read alike by the TypeScript reader and the Python reference', () => {
    const cases = fc
      .sample(fc.tuple(jsonValue, path), { numRuns: 400, seed: 11 })
      .map(([value, p]) => ({ text: JSON.stringify(value), path: p }));
    const script = [
      'import json, sys',
      "sys.path.insert(0, 'src/python')",
      'from error_contract._classify import _compile_reader, _UNSET',
      'for line in sys.stdin:',
      '    case = json.loads(line)',
      "    value = _compile_reader(case['path'])(json.loads(case['text']))",
      "    print(json.dumps({'absent': True} if value is _UNSET else {'value': value}))",
    ].join('\n');
    const run = spawnSync(python, ['-c', script], {
      cwd: packageRoot,
      input: cases.map((c) => JSON.stringify(c)).join('\n') + '\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const fromPython = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    const fromTypeScript = cases.map(
      (c) => JSON.parse(JSON.stringify(shown(readPath(JSON.parse(c.text), c.path)))) as unknown,
    );
    expect(fromPython).toHaveLength(cases.length);
    const differing = cases.flatMap((c, i) =>
      JSON.stringify(fromPython[i]) === JSON.stringify(fromTypeScript[i])
        ? []
        : [{ ...c, python: fromPython[i], typescript: fromTypeScript[i] }],
    );
    expect(differing).toEqual([]);
    // The sample reaches values, not only absences: the comparison is not vacuous.
    expect(fromTypeScript.filter((r) => !(r as { absent?: boolean }).absent).length).toBeGreaterThan(40);
  });
});
