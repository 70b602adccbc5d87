// A problem found in spec/: what schema validation (validate.ts) and the lint checks (src/lint/) both report.
import type { Position } from './located.js';

/** One problem in spec/, at the place a person must edit to fix it. */
export interface Finding {
  /** The check that found it (`schema`, `yaml-syntax`, or a lint check's id). */
  rule: string;
  level: 'error' | 'warning';
  message: string;
  position: Position;
  /** How to fix it, where that is not obvious from the message. */
  tip?: string;
}
