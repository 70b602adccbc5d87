// The openai SDK's own error classes, found by the class name the contract gives each kind, and built with the
// arguments each class's constructor takes (read from openai/core/error of openai@6 and @7, which agree).
//
// The classes come from the client the caller gives, when there is one: an application that loads openai with
// require() has a second copy of every class (the CommonJS build), and its `instanceof RateLimitError` must hold.
// The client's constructor carries them (`OpenAI.RateLimitError`, …); without a client, or for a class it does not
// carry, they come from the ESM entry points this module imports.
import * as root from 'openai';
import * as errors from 'openai/error';
import type { Contract } from '../../generated/types.js';

type ErrorClass = abstract new (...args: never[]) => Error;
type SdkErrorClass = abstract new (...args: never[]) => InstanceType<typeof errors.OpenAIError>;

/** One copy of the SDK's error classes: the ESM one, or the one a client's constructor carries. */
export interface ErrorFamily {
  OpenAIError: ErrorClass;
  APIError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIUserAbortError: ErrorClass;
  /** Where a class of the given name is looked up, in order. */
  namespaces: Record<string, unknown>[];
}

const esm: ErrorFamily = {
  OpenAIError: errors.OpenAIError,
  APIError: errors.APIError,
  APIConnectionError: errors.APIConnectionError,
  APIConnectionTimeoutError: errors.APIConnectionTimeoutError,
  APIUserAbortError: errors.APIUserAbortError,
  namespaces: [errors as Record<string, unknown>, root as Record<string, unknown>],
};

/** The modules a binding may name; both are entry points of openai@6 and @7 and share one set of classes. */
const modules: Record<string, Record<string, unknown>> = { openai: root, 'openai/error': errors };

const families = new WeakMap<object, ErrorFamily>();
const BASES = [
  'OpenAIError',
  'APIError',
  'APIConnectionError',
  'APIConnectionTimeoutError',
  'APIUserAbortError',
] as const;

function isFunction(value: unknown): value is ErrorClass {
  return typeof value === 'function';
}

/**
 * The error classes of the SDK copy `client` was created from: its constructor's static classes when it carries
 * them all (OpenAI and AzureOpenAI instances do), else the ESM copy.
 */
export function familyOf(client: unknown): ErrorFamily {
  const ctor =
    typeof client === 'object' && client !== null ? (client as { constructor?: unknown }).constructor : undefined;
  if (typeof ctor !== 'function') return esm;
  const statics = ctor as unknown as Record<string, unknown>;
  if (statics.OpenAIError === errors.OpenAIError) return esm;
  let family = families.get(ctor);
  if (!family) {
    if (!BASES.every((name) => isFunction(statics[name]))) return esm;
    family = {
      OpenAIError: statics.OpenAIError as ErrorClass,
      APIError: statics.APIError as ErrorClass,
      APIConnectionError: statics.APIConnectionError as ErrorClass,
      APIConnectionTimeoutError: statics.APIConnectionTimeoutError as ErrorClass,
      APIUserAbortError: statics.APIUserAbortError as ErrorClass,
      namespaces: [statics, ...esm.namespaces],
    };
    families.set(ctor, family);
  }
  return family;
}

function extendsClass(cls: unknown, base: ErrorClass): cls is ErrorClass {
  return typeof cls === 'function' && (cls === base || cls.prototype instanceof base);
}

/**
 * The class the contract names for `kind`, from the client's copy of the SDK when one is given (see familyOf), else
 * from the module the binding names, else from the other entry point. A name the SDK lacks (an SDK older than the
 * contract) falls back to APIError, the base class its callers catch.
 */
export function sdkClassFor(contract: Contract, kind: string | null, client?: unknown): SdkErrorClass {
  const family = familyOf(client);
  const binding = kind === null ? undefined : contract.kinds[kind]?.node;
  if (binding) {
    // The client's copy first; a class it does not carry (LengthFinishReasonError) comes from the ESM copy.
    const own = family === esm ? [] : [family.namespaces[0]!];
    for (const namespace of [...own, modules[binding.module], ...esm.namespaces]) {
      const found = namespace?.[binding.class];
      if (extendsClass(found, family.OpenAIError) || extendsClass(found, esm.OpenAIError))
        return found as SdkErrorClass;
    }
  }
  return family.APIError as SdkErrorClass;
}

interface ErrorInit {
  /** The HTTP status the synchronous path would have answered; undefined when the kind has none. */
  status: number | undefined;
  /** The API's error object (`{code, message, param, type}` or the like), as APIError.generate receives it. */
  error: object | undefined;
  message: string;
  headers: Headers;
}

/**
 * An instance of `cls` (a class of `family`, the copy it was found in), its SDK fields (status, error, code, param,
 * type, headers, requestID) filled as the SDK fills them.
 */
export function instantiate(
  cls: SdkErrorClass,
  init: ErrorInit,
  family: ErrorFamily = esm,
): InstanceType<typeof errors.OpenAIError> {
  const Class = cls as unknown as new (...args: unknown[]) => InstanceType<typeof errors.OpenAIError>;
  const is = (name: (typeof BASES)[number]) => extendsClass(cls, family[name]) || extendsClass(cls, esm[name]);
  // The abort and connection classes take `{message}` and have no status, as when the SDK raises them itself.
  if (is('APIUserAbortError') || is('APIConnectionError')) return new Class({ message: init.message });
  if (is('APIError')) return new Class(init.status, init.error, init.message, init.headers);
  // LengthFinishReasonError and ContentFilterFinishReasonError take no arguments and set their own message.
  return new Class(init.message);
}
