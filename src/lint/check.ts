import type { AuthoringSpec } from '../authoring/model.js';
import type { Finding } from './finding.js';

/** One lint check: a rule the schema cannot express. Each lives in its own module under checks/. */
export interface LintCheck {
  id: string;
  description: string;
  check(spec: AuthoringSpec): Finding[];
}
