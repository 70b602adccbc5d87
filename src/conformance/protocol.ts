// The messages of conformance/PROTOCOL.md, validated against schemas/protocol/ (the one definition of their shape).
// Their types are generated from the same schemas (generated/conformance-types.ts).
import type { StartMessage } from '../../generated/conformance-types.js';
import { describeErrors, protocolSchema, protocolSchemaId, validator } from './schemas.js';

/** The protocol version, as the start message's schema fixes it. */
export const PROTOCOL_VERSION: StartMessage['protocol'] = (
  protocolSchema('start') as unknown as { properties: { protocol: { const: StartMessage['protocol'] } } }
).properties.protocol.const;

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
export type StartInfo = Pick<StartMessage, 'contract_version' | 'profile'>;

export const startMessage = (info: StartInfo): string =>
  JSON.stringify({
    cmd: 'start',
    protocol: PROTOCOL_VERSION,
    contract_version: info.contract_version,
    profile: info.profile,
  } satisfies StartMessage) + '\n';
export const stopMessage = (): string => '{"cmd":"stop"}\n';
/** A classify command; `observationJson` is the observation already serialised. Keys in the documented order. */
export const classifyMessage = (seq: number, observationJson: string): string =>
  `{"cmd":"classify","seq":${seq},"observation":${observationJson}}\n`;
