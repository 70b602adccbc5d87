// error-contract/openai: background Responses (and every other object the contract classifies) raise the
// installed openai SDK's own exception classes. Needs `openai` (>=6 <8), an optional peer dependency.
export { raiseForStatus, contractError, isContractError } from './raise.js';
export type { ContractError, ContractFields, ContractResult, RaiseOptions } from './raise.js';
export { waitForResponse, MIN_POLL_AFTER_MS, MAX_POLL_AFTER_MS } from './wait.js';
export type { PollInfo, ResponsesClient, WaitOptions } from './wait.js';
export {
  waitForBatch,
  waitForFineTuningJob,
  waitForVectorStoreFile,
  waitForVectorStoreFileBatch,
} from './resources.js';
export type {
  BatchesClient,
  FineTuningJobsClient,
  VectorStoreFileBatchesClient,
  VectorStoreFilesClient,
} from './resources.js';
export { raiseForStream } from './stream.js';
export { createAndWait } from './create.js';
export type { CreateAndWaitOptions, CreateParams, RetryInfo, RetryOptions } from './create.js';
export { WaitAbortError, WaitTimeoutError } from './budget.js';
export { sdkClassFor } from './sdk.js';
export type { EntryId, KindId } from '../../generated/types.js';
