// The messages of conformance/PROTOCOL.md, validated against schemas/protocol/ (the one definition of their shape).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from '../paths.js';
import { describeErrors, protocolSchemaId, validator, type Group } from './schemas.js';

/** The protocol version, as the start message's schema fixes it. */
export const PROTOCOL_VERSION: number = (
  JSON.parse(readFileSync(join(schemasDir, 'protocol', 'start.schema.json'), 'utf8')) as {
    properties: { protocol: { const: number } };
  }
).properties.protocol.const;

export interface ImplementationInfo {
  name: string;
  version: string;
  language: string;
  homepage?: string;
  [key: string]: unknown;
}

export type Started = { ok: true; implementation: ImplementationInfo; groups?: Group[] } | { ok: false; error: string };

export interface AnswerResult {
  outcome: string;
  kind: string | null;
  retryable: boolean;
  throttling?: boolean;
  http_status?: number | null;
  entry?: string;
  [key: string]: unknown;
}

export type Answer =
  { seq: number; result: AnswerResult } | { seq: number; error: string } | { seq: number; skipped: string };

/** Why a message is not what the protocol allows, or undefined when it is. */
export function checkStarted(message: unknown): string | undefined {
  const validate = validator(protocolSchemaId('started'));
  return validate(message) ? undefined : describeErrors(validate.errors);
}

export function checkAnswer(message: unknown): string | undefined {
  const validate = validator(protocolSchemaId('answer'));
  return validate(message) ? undefined : describeErrors(validate.errors);
}

/** What the runner tells the adapter at start: the contract it checks against, and the profile to classify under. */
export interface StartInfo {
  contract_version: string;
  profile: string;
}

export const startMessage = (info: StartInfo): string =>
  JSON.stringify({
    cmd: 'start',
    protocol: PROTOCOL_VERSION,
    contract_version: info.contract_version,
    profile: info.profile,
  }) + '\n';
export const stopMessage = (): string => '{"cmd":"stop"}\n';
/** A classify command; `observationJson` is the observation already serialised. Keys in the documented order. */
export const classifyMessage = (seq: number, observationJson: string): string =>
  `{"cmd":"classify","seq":${seq},"observation":${observationJson}}\n`;
