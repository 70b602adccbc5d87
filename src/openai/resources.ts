// Wait helpers beyond Responses: batches, fine-tuning jobs, vector-store files and file batches. Each is a Waitable
// (how to retrieve the object, which observation of the contract it is) handed to the shared poll loop of wait.ts,
// so that every helper has waitForResponse's options, deadline, abort and openai-poll-after-ms handling.
import type OpenAI from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import type { VectorStoreFileBatch } from 'openai/resources/vector-stores/file-batches';
import type { VectorStoreFile } from 'openai/resources/vector-stores/files';
import { waitFor, type Waitable, type WaitOptions } from './wait.js';

/** The part of an OpenAI client waitForBatch uses. */
export type BatchesClient = { batches: Pick<OpenAI['batches'], 'retrieve'> };
/** The part of an OpenAI client waitForFineTuningJob uses. */
export type FineTuningJobsClient = { fineTuning: { jobs: Pick<OpenAI['fineTuning']['jobs'], 'retrieve'> } };
/** The part of an OpenAI client waitForVectorStoreFile uses. */
export type VectorStoreFilesClient = { vectorStores: { files: Pick<OpenAI['vectorStores']['files'], 'retrieve'> } };
/** The part of an OpenAI client waitForVectorStoreFileBatch uses. */
export type VectorStoreFileBatchesClient = {
  vectorStores: { fileBatches: Pick<OpenAI['vectorStores']['fileBatches'], 'retrieve'> };
};

type Pair = readonly [string, string];

const BATCH: Waitable<BatchesClient, Batch> = {
  helper: 'waitForBatch',
  object: 'batch',
  ids: ['batchId'],
  retrieve: (client, [id], options) => client.batches.retrieve(id, options),
};

const FINE_TUNING_JOB: Waitable<FineTuningJobsClient, FineTuningJob> = {
  helper: 'waitForFineTuningJob',
  object: 'fine_tuning.job',
  ids: ['jobId'],
  retrieve: (client, [id], options) => client.fineTuning.jobs.retrieve(id, options),
};

const VECTOR_STORE_FILE: Waitable<VectorStoreFilesClient, VectorStoreFile, Pair> = {
  helper: 'waitForVectorStoreFile',
  object: 'vector_store.file',
  ids: ['vectorStoreId', 'fileId'],
  retrieve: (client, [vectorStoreId, fileId], options) =>
    client.vectorStores.files.retrieve(fileId, { vector_store_id: vectorStoreId }, options),
};

const VECTOR_STORE_FILE_BATCH: Waitable<VectorStoreFileBatchesClient, VectorStoreFileBatch, Pair> = {
  helper: 'waitForVectorStoreFileBatch',
  // The SDK's literal (its docstring says vector_store.file_batch); the contract dispatches on the literal.
  object: 'vector_store.files_batch',
  ids: ['vectorStoreId', 'batchId'],
  retrieve: (client, [vectorStoreId, batchId], options) =>
    client.vectorStores.fileBatches.retrieve(batchId, { vector_store_id: vectorStoreId }, options),
};

/**
 * Polls `client.batches.retrieve(batchId)` until the batch ends; returns it when completed with no failed request.
 * A failed, expired or cancelled batch, and a completed one with `request_counts.failed` above 0 (a partial
 * failure: the failed requests are in its error file), throw the SDK's class for the contract's kind.
 */
export function waitForBatch(client: BatchesClient, batchId: string, options: WaitOptions<Batch> = {}): Promise<Batch> {
  return waitFor(BATCH, client, [batchId], options);
}

/** Polls `client.fineTuning.jobs.retrieve(jobId)` until the job ends; returns it when it succeeded. */
export function waitForFineTuningJob(
  client: FineTuningJobsClient,
  jobId: string,
  options: WaitOptions<FineTuningJob> = {},
): Promise<FineTuningJob> {
  return waitFor(FINE_TUNING_JOB, client, [jobId], options);
}

/**
 * Polls `client.vectorStores.files.retrieve(fileId, {vector_store_id})` until the file is processed; returns it when
 * completed. A failed file throws the class its `last_error.code` names. The arguments are in the order of the SDK's
 * own `vectorStores.files.poll(vectorStoreId, fileId)`.
 */
export function waitForVectorStoreFile(
  client: VectorStoreFilesClient,
  vectorStoreId: string,
  fileId: string,
  options: WaitOptions<VectorStoreFile> = {},
): Promise<VectorStoreFile> {
  return waitFor(VECTOR_STORE_FILE, client, [vectorStoreId, fileId], options);
}

/**
 * Polls `client.vectorStores.fileBatches.retrieve(batchId, {vector_store_id})` until the batch is processed; returns
 * it when completed with no failed file (`file_counts.failed` above 0 is a partial failure, and throws).
 */
export function waitForVectorStoreFileBatch(
  client: VectorStoreFileBatchesClient,
  vectorStoreId: string,
  batchId: string,
  options: WaitOptions<VectorStoreFileBatch> = {},
): Promise<VectorStoreFileBatch> {
  return waitFor(VECTOR_STORE_FILE_BATCH, client, [vectorStoreId, batchId], options);
}
