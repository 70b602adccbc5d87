// The installed openai SDK's own error classes, found by the class name the contract gives each kind, and built
// with the arguments each class's constructor takes (read from openai/core/error of openai@6 and @7, which agree).
import * as root from 'openai';
import * as errors from 'openai/error';
import { APIConnectionError, APIError, APIUserAbortError, OpenAIError } from 'openai/error';
import type { Contract } from '../../generated/types.js';

export type SdkErrorClass = abstract new (...args: never[]) => OpenAIError;

function isErrorClass(value: unknown): value is SdkErrorClass {
  return typeof value === 'function' && (value === OpenAIError || value.prototype instanceof OpenAIError);
}

/** The modules a binding may name; both are entry points of openai@6 and @7 and share one set of classes. */
type Namespace = Record<string, unknown>;
const modules: Record<string, Namespace> = { openai: root, 'openai/error': errors };

/**
 * The class the contract names for `kind` in the installed SDK, taken from the module the binding names, else from
 * the other entry point. A name the installed SDK lacks (an SDK older than the contract) falls back to APIError,
 * the base class its callers catch.
 */
export function sdkClassFor(contract: Contract, kind: string | null): SdkErrorClass {
  const binding = kind === null ? undefined : contract.kinds[kind]?.node;
  if (binding) {
    for (const namespace of [modules[binding.module], errors as Namespace, root as Namespace]) {
      const found = namespace?.[binding.class];
      if (isErrorClass(found)) return found;
    }
  }
  return APIError;
}

export interface ErrorInit {
  /** The HTTP status the synchronous path would have answered; undefined when the kind has none. */
  status: number | undefined;
  /** The API's error object (`{code, message, param, type}` or the like), as APIError.generate receives it. */
  error: object | undefined;
  message: string;
  headers: Headers;
}

function extendsClass(cls: SdkErrorClass, base: SdkErrorClass): boolean {
  return cls === base || cls.prototype instanceof base;
}

/** An instance of `cls`, its SDK fields (status, error, code, param, type, headers, requestID) filled as the SDK fills them. */
export function instantiate(cls: SdkErrorClass, init: ErrorInit): OpenAIError {
  const Class = cls as unknown as new (...args: unknown[]) => OpenAIError;
  // The abort and connection classes take `{message}` and have no status, as when the SDK raises them itself.
  if (extendsClass(cls, APIUserAbortError) || extendsClass(cls, APIConnectionError)) return new Class({ message: init.message });
  if (extendsClass(cls, APIError)) return new Class(init.status, init.error, init.message, init.headers);
  // LengthFinishReasonError and ContentFilterFinishReasonError take no arguments and set their own message.
  return new Class(init.message);
}
