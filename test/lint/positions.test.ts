// Bad YAML and schema violations are reported at the file:line:col a person must edit.
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec, SpecLoadError } from '../../src/authoring/load.js';
import { validateSpec } from '../../src/authoring/validate.js';
import { copySpec, lineOf, type SpecCopy } from '../support/spec-fixture.js';

let spec: SpecCopy;
afterEach(() => spec?.remove());

const STATUS = 'fields/response.status.yaml';

function only(copy: SpecCopy) {
  return validateSpec(loadSpec(copy.dir));
}

describe('positions', () => {
  it('a YAML syntax error points at its line', () => {
    spec = copySpec();
    spec.replace(STATUS, '    value: in_progress', '    value: [in_progress');
    const [f] = only(spec);
    expect(f).toMatchObject({ rule: 'yaml-syntax', level: 'error' });
    expect(f!.position.file).toMatch(/response\.status\.yaml$/);
    expect(f!.position.line).toBeGreaterThanOrEqual(lineOf(spec.read(STATUS), 'value: [in_progress'));
  });

  it('a duplicate key is a YAML error', () => {
    spec = copySpec();
    spec.replace(STATUS, '    value: in_progress\n', '    value: in_progress\n    value: queued\n');
    expect(only(spec).some((f) => f.rule === 'yaml-syntax' && /unique/i.test(f.message))).toBe(true);
  });

  it('an unknown key points at the key', () => {
    spec = copySpec();
    spec.replace(STATUS, '    value: in_progress\n', '    value: in_progress\n    retriable: true\n');
    const [f] = only(spec);
    expect(f!.message).toMatch(/unknown key "retriable"/);
    const line = lineOf(spec.read(STATUS), 'retriable: true');
    expect(f!.position).toMatchObject({ line, col: 5 });
  });

  it('a wrong type points at the value', () => {
    spec = copySpec();
    spec.replace(
      STATUS,
      '    value: in_progress\n    outcome: pending',
      '    value: in_progress\n    outcome: waiting',
    );
    const [f] = only(spec);
    expect(f!.message).toMatch(/outcome: must be one of/);
    expect(f!.position).toMatchObject({ line: lineOf(spec.read(STATUS), 'outcome: waiting'), col: 14 });
  });

  it('a missing required key points at the entry', () => {
    spec = copySpec();
    spec.replace(STATUS, '    summary: The Response is being generated.\n', '');
    const [f] = only(spec);
    expect(f!.message).toMatch(/missing "summary"/);
    expect(f!.position.line).toBe(lineOf(spec.read(STATUS), 'id: response.status/in_progress'));
  });

  it('a missing spec file or directory is a load error naming it', () => {
    spec = copySpec();
    spec.write('kinds.yaml', '');
    expect(only(spec).some((f) => f.position.file.endsWith('kinds.yaml'))).toBe(true);
    expect(() => loadSpec(`${spec.dir}/nope`)).toThrow(SpecLoadError);
  });
});
