// The lint checks, run in this order; each lives in its own module with its own test.
import type { AuthoringSpec } from '../authoring/model.js';
import type { LintCheck } from './check.js';
import type { Finding } from './finding.js';
import { actionRationale } from './checks/action-rationale.js';
import { actionRetry } from './checks/action-retry.js';
import { duplicateId } from './checks/duplicate-id.js';
import { entryShape } from './checks/entry-shape.js';
import { fallbackMissing } from './checks/fallback-missing.js';
import { hintShape } from './checks/hint-shape.js';
import { messageRuleShape } from './checks/message-rule-shape.js';
import { httpStatusKind } from './checks/http-status-kind.js';
import { idFormat } from './checks/id-format.js';
import { judgementRationale } from './checks/judgement-rationale.js';
import { missingSource } from './checks/missing-source.js';
import { references } from './checks/references.js';
import { retryableKind } from './checks/retryable-kind.js';
import { sdkBindings } from './checks/sdk-bindings.js';
import { unknownAction } from './checks/unknown-action.js';
import { unknownKind } from './checks/unknown-kind.js';

export const checks: readonly LintCheck[] = [
  duplicateId,
  idFormat,
  unknownKind,
  missingSource,
  judgementRationale,
  httpStatusKind,
  retryableKind,
  fallbackMissing,
  entryShape,
  references,
  sdkBindings,
  unknownAction,
  actionRetry,
  actionRationale,
  hintShape,
  messageRuleShape,
];

export function lint(spec: AuthoringSpec): Finding[] {
  return checks.flatMap((c) => c.check(spec));
}
