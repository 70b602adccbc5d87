// The conformance vectors: at least one derived from every contract entry, plus the hand-written edge cases of
// conformance/edge-cases/. Every `expected` is the reference classify() of the contract being built.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EdgeCaseFile, Expected, Vector, VectorFile } from '../../generated/conformance-types.js';
import type { Contract, Result } from '../../generated/types.js';
import { classifyWith, tablesFor } from '../classify/classify.js';
import { put, setAtPath } from '../field-path.js';
import { generatedDir, packageRoot } from '../paths.js';
import { SpecLoadError } from '../authoring/load.js';
import { deriveObservations } from '../arbitraries/derived.js';
import { groupOf } from '../arbitraries/groups.js';
import { describeErrors, GROUPS, validator, vectorSchemaId } from './schemas.js';

export type { Expected, Vector };

export const edgeCasesDir = join(packageRoot, 'conformance', 'edge-cases');
export const vectorsDir = join(generatedDir, 'vectors');

/** Raised for a hand-written edge case that is malformed or no longer says what the reference classifier does. */
class EdgeCaseError extends SpecLoadError {}

type Json = Record<string, unknown>;

export function expectedOf(result: Result): Expected {
  return {
    outcome: result.outcome,
    kind: result.kind ?? null,
    retryable: result.retryable,
    throttling: result.throttling,
    http_status: result.http_status ?? null,
    entry: result.entry,
    retry_after_ms: result.retry_after_ms ?? null,
    action: result.action ?? null,
    ...(result.rule !== undefined ? { rule: result.rule } : {}),
  };
}

/** Raised when the data has an entry that no observation built from the contract's fields reaches. */
export class UnreachableEntryError extends SpecLoadError {}

/** At least one vector per entry of the contract; throws when the data has an entry no observation reaches. */
export function deriveVectors(contract: Contract): Vector[] {
  const { reaching, unreached } = deriveObservations(contract);
  if (unreached.length > 0) {
    throw new UnreachableEntryError(
      `no conformance vector can be derived for ${unreached.length} entr${unreached.length === 1 ? 'y' : 'ies'} (${unreached.join(', ')}): no observation built from the contract's fields reaches them; check their field's role, path and hosts (refined_by, partial_failure)`,
    );
  }
  return reaching.map((d) => ({
    id: d.id,
    description: d.description,
    group: groupOf(contract, d.observation),
    level: 'MUST',
    observation: d.observation,
    expected: expectedOf(d.result),
  }));
}

type EdgeCase = EdgeCaseFile['cases'][number];

function expandValue(expand: NonNullable<EdgeCase['expand']>): unknown {
  if (expand.repeat !== undefined) return expand.repeat.repeat(expand.times!);
  // Built from the inside out, iteratively: no recursion however deep.
  let value: unknown = expand.leaf ?? null;
  for (let i = 0; i < expand.depth!; i++) {
    if (expand.key === undefined) value = [value];
    else {
      const wrapper: Json = {};
      put(wrapper, expand.key, value);
      value = wrapper;
    }
  }
  return value;
}

/** The hand-written edge cases, checked and completed with the reference result; sorted by file name. */
export function edgeCaseVectors(contract: Contract, dir = edgeCasesDir): Vector[] {
  const tables = tablesFor({ contract });
  const validate = validator(`${vectorSchemaId}#/$defs/edgeCaseFile`);
  const problems: string[] = [];
  const vectors: Vector[] = [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  for (const name of names) {
    const path = join(dir, name);
    let data: EdgeCaseFile;
    try {
      data = JSON.parse(readFileSync(path, 'utf8')) as EdgeCaseFile;
    } catch (error) {
      problems.push(`${path}: not JSON: ${(error as Error).message}`);
      continue;
    }
    if (!validate(data)) {
      problems.push(`${path}: ${describeErrors(validate.errors)}`);
      continue;
    }
    for (const c of data.cases) {
      const where = `${path}: ${c.id}`;
      if (!c.id.startsWith(`${c.group}:`)) problems.push(`${where}: the id must start with its group ("${c.group}:")`);
      let observation = c.observation;
      if (c.expand) {
        if (typeof observation !== 'object' || observation === null || Array.isArray(observation)) {
          problems.push(`${where}: expand needs an object observation`);
          continue;
        }
        observation = structuredClone(observation);
        setAtPath(observation as Json, c.expand.path, expandValue(c.expand));
      }
      const expected = expectedOf(classifyWith(tables, observation));
      const differs = Object.entries(c.expect).filter(([key, value]) => expected[key as keyof Expected] !== value);
      if (differs.length > 0) {
        const detail = differs
          .map(
            ([key, value]) =>
              `${key} ${JSON.stringify(value)} but the reference gives ${JSON.stringify(expected[key as keyof Expected])}`,
          )
          .join('; ');
        problems.push(`${where}: expects ${detail}`);
        continue;
      }
      vectors.push({ id: c.id, description: c.description, group: c.group, level: c.level, observation, expected });
    }
  }
  if (problems.length > 0) throw new EdgeCaseError(`conformance edge cases:\n  ${problems.join('\n  ')}`);
  return vectors;
}

/** generated/vectors/<group>.json for every group: the derived vectors first (in entry order), then the edge cases. */
export function renderVectorFiles(contract: Contract): Map<string, string> {
  const all = [...deriveVectors(contract), ...edgeCaseVectors(contract)];
  const ids = new Set<string>();
  const descriptions = new Set<string>();
  const duplicates: string[] = [];
  for (const v of all) {
    if (ids.has(v.id)) duplicates.push(`id ${v.id}`);
    if (descriptions.has(v.description)) duplicates.push(`description "${v.description}"`);
    ids.add(v.id);
    descriptions.add(v.description);
  }
  if (duplicates.length > 0) throw new EdgeCaseError(`conformance vectors are not unique: ${duplicates.join(', ')}`);
  const outputs = new Map<string, string>();
  for (const group of GROUPS) {
    // One vector a line: diffs stay per vector, and deeply nested observations stay compact.
    const lines = all.filter((v) => v.group === group).map((v) => JSON.stringify(v));
    const head = `{"$schema":"../../schemas/vector.schema.json","contract_version":${JSON.stringify(contract.meta.version)},"group":${JSON.stringify(group)},"vectors":[`;
    outputs.set(`vectors/${group}.json`, lines.length === 0 ? `${head}]}\n` : `${head}\n${lines.join(',\n')}\n]}\n`);
  }
  return outputs;
}

/** The published vectors of generated/vectors/, in group order. */
export function loadVectors(dir = vectorsDir): Vector[] {
  return GROUPS.flatMap((group) => {
    const file = JSON.parse(readFileSync(join(dir, `${group}.json`), 'utf8')) as VectorFile;
    return file.vectors;
  });
}
