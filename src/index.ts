// error-contract: the contract for the OpenAI API's asynchronous failures, and the classifier that applies it.
export { classify, type ClassifyOptions } from './classify/classify.js';
export { explainInvalid } from './classify/invalid.js';
export { explain, type Explanation, type ExplainOptions } from './explain.js';
export { UnknownProfileError } from './classify/tables.js';
export { publishedContract } from './contract.js';
export type {
  Action,
  ActionId,
  Contract,
  DelayHint,
  Entry,
  EntryId,
  Field,
  Kind,
  KindId,
  Outcome,
  Profile,
  Result,
  RetryPolicy,
  SdkBinding,
  Source,
} from '../generated/types.js';
export { diffReleases, type Release } from './diff/diff.js';
export type { Change, DiffResult } from './diff/change.js';
export type { Bump } from './diff/semver.js';
