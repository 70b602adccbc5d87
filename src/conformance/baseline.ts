// --baseline FILE: the expected failures of an implementation, by vector id, message rule or contract entry, each
// with a reason.
import { readFileSync } from 'node:fs';
import type { BaselineMessage } from '../../generated/conformance-types.js';
import { describeErrors, protocolSchemaId, validator } from './schemas.js';

export interface Baseline {
  path: string;
  vectors: Map<string, string>;
  rules: Map<string, string>;
  entries: Map<string, string>;
}

/** A baseline file that cannot be used: a usage error (exit 2). */
export class BaselineError extends Error {}

export function loadBaseline(path: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BaselineError(`baseline ${path}: ${(error as Error).message}`);
  }
  const validate = validator(protocolSchemaId('baseline'));
  if (!validate(data)) throw new BaselineError(`baseline ${path}: ${describeErrors(validate.errors)}`);
  const { vectors = {}, rules = {}, entries = {} } = data as BaselineMessage;
  return {
    path,
    vectors: new Map(Object.entries(vectors)),
    rules: new Map(Object.entries(rules)),
    entries: new Map(Object.entries(entries)),
  };
}

/**
 * Why a case is expected to fail, if it is: its vector id first, then the message rule that gave its expected result,
 * then the entry that result comes from.
 */
export function expectedFailure(
  baseline: Baseline | undefined,
  id: string | undefined,
  entry: string,
  rule?: string,
): { reason: string; byId: boolean } | undefined {
  if (!baseline) return undefined;
  const byId = id === undefined ? undefined : baseline.vectors.get(id);
  if (byId !== undefined) return { reason: byId, byId: true };
  const byRule = rule === undefined ? undefined : baseline.rules.get(rule);
  if (byRule !== undefined) return { reason: byRule, byId: false };
  const byEntry = baseline.entries.get(entry);
  return byEntry === undefined ? undefined : { reason: byEntry, byId: false };
}
