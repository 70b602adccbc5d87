// fast-check arbitraries of observations, generated from the contract: every known value of every field, unknown
// values, nulls, wrong types and mutations of real payloads. The conformance runner's property-based phase uses them,
// and other TypeScript implementations can use them in their own property tests:
//
//   import fc from 'fast-check';
//   import { observation } from 'error-contract/arbitraries';
//   fc.assert(fc.property(observation(), (o) => deepEqual(myClassify(o), classify(o))));
import fc from 'fast-check';
import type { Contract, DelayHint } from '../../generated/types.js';
import { publishedContract } from '../contract.js';
import { contractIndex } from '../contract-index.js';
import { put, setAtPath } from '../field-path.js';
import type { PlainObject as Json } from '../plain-object.js';
import { deriveObservations } from './derived.js';
import { GROUPS, groupOf, type Group } from './groups.js';

export type { Group };
export { GROUPS, groupOf };

export interface ArbitraryOptions {
  /** The contract whose vocabulary is generated (default: the published one). */
  contract?: Contract;
  /** Only observations of these groups (default: all). */
  groups?: readonly Group[];
}

/** Names that break implementations which look values up in plain objects. */
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  '__defineGetter__',
];

/** Values an entry lists for its field (not the `*` fallback, nor count thresholds such as `>0`). */
export function knownValues(contract: Contract, fieldId: string): string[] {
  // A suffix entry (`*.failed`) stands for the values that end with its suffix: one such value, and the literal.
  return contractIndex(contract)
    .entriesOf(fieldId)
    .filter((e) => e.value !== '*' && !/^[<>]/.test(e.value))
    .flatMap((e) => (e.value.startsWith('*') ? [e.value, `x${e.value.slice(1)}`] : [e.value]));
}

function allKnownValues(contract: Contract): string[] {
  return [...new Set(contract.entries.filter((e) => e.value !== '*').map((e) => e.value))];
}

/** Strings no field is likely to list: prototype names, case and whitespace variants of known values, random text. */
export function unknownString(contract: Contract = publishedContract()): fc.Arbitrary<string> {
  const known = allKnownValues(contract);
  return fc.oneof(
    fc.constantFrom(...PROTOTYPE_NAMES),
    fc.constantFrom(...known).map((v) => v.toUpperCase()),
    fc.constantFrom(...known).map((v) => ` ${v}`),
    fc.string({ maxLength: 12 }),
  );
}

/** Values that are not strings: null, numbers, booleans, arrays (holding a known value) and objects. */
export function wrongType(contract: Contract = publishedContract()): fc.Arbitrary<unknown> {
  const known = allKnownValues(contract);
  return fc.oneof(
    fc.constantFrom<unknown>(...SCALARS),
    fc.integer({ min: -1, max: 600 }),
    fc.constantFrom(...known).map((v) => [v]),
    fc.constantFrom(...known).map((v) => ({ value: v })),
  );
}

/** Non-string scalars that trip up type checks: falsy values, fractions, huge and tiny numbers. */
// 2^53 + 1 is written on purpose: it parses as 2^53, the number beyond which integers lose precision.
// eslint-disable-next-line no-loss-of-precision
const SCALARS: unknown[] = [null, true, false, 0, -1, 1.5, 429.5, 1e21, -1e-7, 9007199254740993];

/** Any JSON value, cheaply: scalars, strings and small nested structures (fc.jsonValue is several times slower). */
export function anyJson(): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      arbitrary: fc.constantFrom<unknown>(...SCALARS, '', 'null', '[]', {}, [], [[]], { a: { b: { c: null } } }, [
        1,
        'two',
        null,
      ]),
      weight: 3,
    },
    { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
    { arbitrary: fc.integer(), weight: 1 },
  );
}

/** A value at a field: mostly its own known values, sometimes another field's, unknown strings or wrong types. */
export function fieldValue(contract: Contract, fieldId: string): fc.Arbitrary<unknown> {
  // The field's own values and its vocabulary's are drawn apart, so that a large vocabulary does not drown a
  // field's own few values.
  const own = knownValues(contract, fieldId);
  const sharedId = contract.fields[fieldId]?.shares_values_with;
  const shared = sharedId ? knownValues(contract, sharedId) : [];
  const others = allKnownValues(contract);
  const arbitraries: fc.WeightedArbitrary<unknown>[] = [
    { arbitrary: fc.constantFrom(...others), weight: 1 },
    { arbitrary: unknownString(contract), weight: 1 },
    { arbitrary: wrongType(contract), weight: 1 },
  ];
  if (shared.length > 0) arbitraries.unshift({ arbitrary: fc.constantFrom(...shared), weight: own.length > 0 ? 3 : 6 });
  if (own.length > 0) arbitraries.unshift({ arbitrary: fc.constantFrom(...own), weight: shared.length > 0 ? 8 : 6 });
  return fc.oneof(...arbitraries);
}

const absent = <T>(arbitrary: fc.Arbitrary<T>, freq = 2): fc.Arbitrary<T | undefined> =>
  fc.option(arbitrary, { nil: undefined, freq });

/** A few keys no procedure reads, to check that they change nothing. */
function extraKeys(): fc.Arbitrary<Json | undefined> {
  return absent(
    fc
      .tuple(fc.constantFrom('id', 'message', 'metadata', 'created_at', ...PROTOTYPE_NAMES), anyJson())
      .map(([key, value]) => {
        const extras: Json = {};
        put(extras, key, value);
        return extras;
      }),
    1,
  );
}

function withExtras(object: Json, extras: Json | undefined): Json {
  if (extras)
    for (const [key, value] of Object.entries(extras)) if (!Object.hasOwn(object, key)) put(object, key, value);
  return object;
}

/** Reason fields read for a field's entries (refined_by, and the count fields of partial failures). */
function readsOf(contract: Contract, fieldId: string): string[] {
  const fields = new Set<string>();
  for (const entry of contractIndex(contract).entriesOf(fieldId)) {
    for (const id of entry.refined_by ?? []) fields.add(id);
    if (entry.partial_failure) fields.add(entry.partial_failure);
  }
  return [...fields];
}

/** A value for a reason or count field. */
function readValue(contract: Contract, fieldId: string): fc.Arbitrary<unknown> {
  const field = contract.fields[fieldId];
  if (field?.role === 'count') return fc.oneof(fc.integer({ min: -1, max: 3 }), wrongType(contract));
  // An integer HTTP status where a vocabulary takes one as its code.
  if (field?.shares_values_with && contract.fields[field.shares_values_with]?.integer_status)
    return fc.oneof(
      { arbitrary: fieldValue(contract, fieldId), weight: 5 },
      { arbitrary: fc.integer({ min: 99, max: 600 }), weight: 1 },
    );
  return fieldValue(contract, fieldId);
}

/** The paths of the HTTP status an entry's envelope reads, for the entries of a field that have one. */
function envelopePaths(contract: Contract, fieldId: string): string[] {
  return [
    ...new Set(
      contractIndex(contract)
        .entriesOf(fieldId)
        .flatMap((e) => (e.envelope ? [e.envelope.http_status] : [])),
    ),
  ];
}

/** The objects a field's delegating entries classify, by their key: a status body of the object they name. */
function delegatedBodies(contract: Contract, fieldId: string): fc.Arbitrary<readonly [string, Json]>[] {
  const index = contractIndex(contract);
  const out: fc.Arbitrary<readonly [string, Json]>[] = [];
  const seen = new Set<string>();
  for (const e of index.entriesOf(fieldId)) {
    if (!e.delegate) continue;
    const object = index.delegatedObjectOf(e);
    const statusField = object === undefined ? undefined : index.statusFieldByObject.get(object);
    const key = `${e.delegate}\u0000${statusField ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      statusField
        ? statusBody(contract, statusField, false).map((body) => [e.delegate!, body] as const)
        : fc.constant([e.delegate, {}] as const),
    );
  }
  return out;
}

/** An envelope's http_status: mostly one the procedure reads (2xx, 4xx, 5xx), sometimes a value of the wrong type. */
function envelopeStatus(contract: Contract): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(200, 400, 429, 500, 503), weight: 4 },
    { arbitrary: wrongType(contract), weight: 1 },
  );
}

/** An object of a status field: its `object` name, a status and maybe the fields its entries read. */
function statusBody(contract: Contract, fieldId: string, nest = true): fc.Arbitrary<Json> {
  const field = contract.fields[fieldId]!;
  const reads = readsOf(contract, fieldId);
  const envelopes = envelopePaths(contract, fieldId);
  // One level of delegated objects, as the procedure follows one level.
  const nested = nest ? delegatedBodies(contract, fieldId) : [];
  const status = envelopeStatus(contract);
  return fc
    .tuple(
      absent(fieldValue(contract, fieldId), 12),
      fc.tuple(...reads.map((id) => absent(readValue(contract, id), 3))),
      envelopes.length > 0 ? absent(fc.tuple(fc.constantFrom(...envelopes), status), 1) : fc.constant(undefined),
      nested.length > 0 ? absent(fc.oneof(...nested), 3) : fc.constant(undefined),
      extraKeys(),
      fc.nat({ max: 54 }),
    )
    .map(([value, values, envelope, inner, extras, pick]) => {
      // Now and then an object known only by its id or its shape, or with an empty `object`, as SDK fixtures,
      // proxies and compatible servers pass them on.
      const { object, key, type, id_prefix: prefix, shape } = field.dispatch ?? {};
      const byId = prefix !== undefined && pick % 5 === 0;
      const byShape = !byId && shape !== undefined && pick % 5 === 1;
      const emptyObject = !byId && !byShape && object !== undefined && pick % 11 === 2;
      const body: Json = byId
        ? { id: `${prefix}1` }
        : byShape
          ? type !== undefined
            ? { type }
            : {}
          : emptyObject
            ? { object: '' }
            : object !== undefined
              ? { object }
              : key !== undefined
                ? { [key]: {} }
                : type !== undefined
                  ? { type }
                  : {};
      if (value !== undefined) setAtPath(body, field.path!, value);
      if (byShape) setAtPath(body, shape[pick % shape.length]!, {});
      values.forEach((v, i) => {
        if (v !== undefined) setAtPath(body, contract.fields[reads[i]!]!.path!, v);
      });
      if (envelope) setAtPath(body, envelope[0], envelope[1]);
      if (inner) put(body, inner[0], inner[1]);
      return withExtras(body, extras);
    });
}

function eventBody(contract: Contract, fieldId: string): fc.Arbitrary<Json> {
  const field = contract.fields[fieldId]!;
  const reads = readsOf(contract, fieldId);
  const nested = delegatedBodies(contract, fieldId);
  const envelopes = envelopePaths(contract, fieldId);
  const status = envelopeStatus(contract);
  // An error object on its own (error_object) is a body whose type is an error type and whose message may be a string.
  const errorTypes = field.error_object === undefined ? [] : knownValues(contract, field.error_object.types);
  const type =
    errorTypes.length === 0
      ? fieldValue(contract, fieldId)
      : fc.oneof(
          { arbitrary: fieldValue(contract, fieldId), weight: 4 },
          { arbitrary: fc.constantFrom(...errorTypes), weight: 1 },
        );
  const message = errorTypes.length === 0 ? fc.constant(undefined) : absent(fc.oneof(fc.string(), anyJson()), 2);
  return fc
    .tuple(
      type,
      fc.tuple(...reads.map((id) => absent(readValue(contract, id), 3))),
      nested.length > 0 ? absent(fc.oneof(...nested), 6) : fc.constant(undefined),
      envelopes.length > 0 ? absent(fc.tuple(fc.constantFrom(...envelopes), status), 2) : fc.constant(undefined),
      extraKeys(),
      message,
    )
    .map(([type, values, inner, envelope, extras, text]) => {
      const event: Json = {};
      setAtPath(event, field.path!, type);
      if (text !== undefined) event.message = text;
      values.forEach((value, i) => {
        if (value !== undefined) setAtPath(event, contract.fields[reads[i]!]!.path!, value);
      });
      if (inner) put(event, inner[0], inner[1]);
      if (envelope) setAtPath(event, envelope[0], envelope[1]);
      return withExtras(event, extras);
    });
}

const ASCTIME_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ASCTIME_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** An HTTP date of `seconds` since the epoch: IMF-fixdate, asctime, or the obsolete RFC 850 form (which is not read). */
function httpDate(seconds: number, form: 'imf' | 'asctime' | 'rfc850'): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  if (form === 'imf') return d.toUTCString();
  if (form === 'asctime')
    return `${ASCTIME_DAYS[d.getUTCDay()]} ${ASCTIME_MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()}`;
  return `Sunday, ${two(d.getUTCDate())}-${ASCTIME_MONTHS[d.getUTCMonth()]}-${two(d.getUTCFullYear() % 100)} ${time} GMT`;
}

/** The date header's moment, shared by the retry-after dates generated next to it (so that deltas stay small). */
const DATE_BASE = 1_790_000_000;

/** A phrase with each letter in either case, as servers capitalise it ("Try again in", "try again in"). */
const anyCase = (phrase: string) =>
  fc
    .array(fc.boolean(), { minLength: phrase.length, maxLength: phrase.length })
    .map((upper) => [...phrase].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

/**
 * Messages for a `text_delay` hint: its phrase (in any case, sometimes twice, sometimes absent) followed by a Go
 * duration, a delay in words or garbage, inside prose that may also state a limit and a request (the message rules'
 * `Limit N, Used N, Requested ~N`).
 */
function textDelayMessage(phrase: string, contract: Contract): fc.Arbitrary<unknown> {
  const number = fc.oneof(
    fc.nat({ max: 400 }).map(String),
    fc.tuple(fc.nat({ max: 90 }), fc.stringMatching(/^[0-9]{1,12}$/)).map(([w, f]) => `${w}.${f}`),
    fc.constantFrom('0', '007', '99999999999999999999', '1.0000000000000000001'),
  );
  const unit = fc.constantFrom('h', 'm', 's', 'ms', 'us', '\u00b5s', 'ns', 'sec', 'x', '');
  const goDuration = fc
    .array(fc.tuple(number, unit), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.map(([n, u]) => n + u).join(''));
  const words = fc
    .tuple(
      number,
      fc.constantFrom(' seconds', ' second', ' milliseconds', ' millisecond', ' minutes', 'seconds', '  seconds'),
    )
    .map(([n, w]) => n + w);
  const delay = fc.oneof(goDuration, words, fc.constantFrom('', 'a moment', '-5s', '.5s', ' 5s', '5.s'));
  const limit = fc
    .tuple(
      fc.nat({ max: 40_000 }),
      fc.option(fc.nat({ max: 40_000 }), { nil: undefined }),
      fc.boolean(),
      fc.nat({ max: 60_000 }),
    )
    .map(
      ([l, used, tilde, r]) =>
        `on tokens per min (TPM): Limit ${l}, ${used === undefined ? '' : `Used ${used}, `}Requested ${tilde ? '~' : ''}${r}. `,
    );
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(
          fc.option(limit, { nil: '' }),
          anyCase(phrase),
          delay,
          fc.constantFrom('', '.', '. Visit the docs.'),
          fc.boolean(),
        )
        .map(
          ([stated, p, d, end, twice]) => `Rate limit reached ${stated}Please ${p}${d}${end}${twice ? ` ${p}1s` : ''}`,
        ),
      weight: 6,
    },
    { arbitrary: fc.option(limit, { nil: '' }).map((stated) => `Request too large ${stated}`), weight: 2 },
    { arbitrary: wrongType(contract), weight: 1 },
  );
}

/** Values of a delay hint's format: well-formed ones, each kind of garbage, and wrong types. */
function hintValue(format: DelayHint['format'], contract: Contract, phrase = ''): fc.Arbitrary<unknown> {
  const digits = fc.oneof(
    fc.nat({ max: 200_000 }).map(String),
    fc.constantFrom('0', '120', '121', '000150', '99999999999999999999'),
  );
  const decimal = fc.tuple(fc.nat({ max: 500 }), fc.stringMatching(/^[0-9]{1,12}$/)).map(([w, f]) => `${w}.${f}`);
  const garbage = fc.constantFrom(
    '',
    'soon',
    '-5',
    '+5',
    '1e3',
    '0x10',
    '5.',
    '.5',
    ' 12 ',
    '\t7',
    '20s',
    'NaN',
    'Infinity',
    '1,5',
    '١٢',
  );
  const strings = (...extra: fc.Arbitrary<unknown>[]) =>
    fc.oneof(digits, decimal, garbage, wrongType(contract), ...extra);
  switch (format) {
    case 'integer_ms':
    case 'decimal_ms':
      return strings();
    case 'seconds_or_http_date':
      return strings(
        fc
          .tuple(
            fc.integer({ min: -400, max: 400 }),
            fc.constantFrom<'imf' | 'asctime' | 'rfc850'>('imf', 'imf', 'asctime', 'rfc850'),
          )
          .map(([delta, form]) => httpDate(DATE_BASE + delta, form)),
        fc.constantFrom(
          'Sat, 30 Feb 2027 00:00:00 GMT',
          'Sun, 06 Nov 1994 24:00:00 GMT',
          'sun, 06 nov 1994 08:49:37 gmt',
        ),
      );
    case 'duration':
      return fc.oneof(
        digits.map((d) => `${d}s`),
        fc.tuple(fc.nat({ max: 100 }), fc.stringMatching(/^[0-9]{1,10}$/)).map(([w, f]) => `${w}.${f}s`),
        garbage,
        fc.constantFrom('-38s', '38'),
        wrongType(contract),
        fc.constant({ seconds: 38 }),
      );
    case 'seconds_number':
      return fc.oneof(
        fc.double({ min: -10, max: 1e6, noNaN: true, noDefaultInfinity: true }),
        fc.nat({ max: 400 }),
        fc.constantFrom(1e300, -0, 0.0015),
        fc.constantFrom('11', null, true),
      );
    case 'text_delay':
      return textDelayMessage(phrase, contract);
  }
}

/** Header names in the cases a server may send them. */
const headerCase = (name: string) =>
  fc.constantFrom(
    name,
    name.toUpperCase(),
    name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()),
  );

/** Headers carrying the contract's header hints (and a date header), some garbled, some repeated in another case. */
function hintHeaders(contract: Contract): fc.Arbitrary<Json> {
  const hints = Object.values(contract.hints ?? {}).filter((h) => h.header !== undefined);
  const one = (name: string, value: fc.Arbitrary<unknown>) =>
    absent(fc.tuple(headerCase(name), value, fc.boolean()), 3);
  const date = fc.oneof(
    fc.constant(httpDate(DATE_BASE, 'imf')),
    fc.constantFrom('yesterday', httpDate(DATE_BASE, 'asctime')),
  );
  return fc
    .tuple(...hints.map((h) => one(h.header!, hintValue(h.format, contract))), one('date', date))
    .map((pairs) => {
      const headers: Json = {};
      for (const pair of pairs) {
        if (pair === undefined) continue;
        const [name, value, twice] = pair;
        put(headers, name, value);
        // The same name once more in another case: one header with a joined value.
        if (twice && name !== name.toLowerCase()) put(headers, name.toLowerCase(), value);
      }
      return headers;
    });
}

/** Error-object keys carrying the contract's body hints: at their path, or inside an array element `match` selects. */
function hintBody(contract: Contract): fc.Arbitrary<Json> {
  const hints = Object.values(contract.hints ?? {}).filter((h) => h.body !== undefined);
  const one = (h: DelayHint) =>
    absent(
      fc.tuple(hintValue(h.format, contract, h.after), fc.boolean()).map(([value, decoy]) => {
        const error: Json = {};
        if (h.body!.endsWith('[]')) {
          const element: Json = { ...(h.match ?? {}) };
          put(element, h.key!, value);
          // A detail of another type first, as Google sends QuotaFailure before RetryInfo.
          const list = decoy ? [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure' }, element] : [element];
          setAtPath(error, h.body!.slice(0, -2), list);
        } else setAtPath(error, h.body!, value);
        return error;
      }),
      2,
    );
  return fc.tuple(...hints.map(one)).map((parts) => Object.assign({}, ...parts.filter((p) => p !== undefined)) as Json);
}

function httpEnvelope(contract: Contract): fc.Arbitrary<Json> {
  const fields = Object.entries(contract.fields);
  const httpField = fields.find(([, f]) => f.role === 'http')?.[0];
  const listed = httpField
    ? knownValues(contract, httpField)
        .filter((v) => /^[0-9]+$/.test(v))
        .map(Number)
    : [];
  const status = fc.oneof(
    { arbitrary: listed.length > 0 ? fc.constantFrom(...listed) : fc.constant(500), weight: 4 },
    { arbitrary: fc.integer({ min: 300, max: 599 }), weight: 2 },
    { arbitrary: fc.integer({ min: 100, max: 199 }), weight: 1 },
  );
  const headerName = fc.constantFrom('x-should-retry', 'X-Should-Retry', 'X-SHOULD-RETRY');
  const headers = absent(
    fc
      .tuple(
        absent(fc.tuple(headerName, fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '1', ''), wrongType(contract)))),
        absent(fc.constantFrom('application/json', 'text/html')),
        absent(hintHeaders(contract), 2),
      )
      .map(([retry, type, hints]) => {
        const h: Json = { ...hints };
        if (retry) put(h, retry[0], retry[1]);
        if (type) put(h, 'content-type', type);
        return h;
      }),
    3,
  );
  // Every http_refinement field (the code, the type) at its path in the error object.
  const refinements = fields.filter(([, f]) => f.role === 'http_refinement');
  const error = fc.tuple(...refinements.map(([id]) => absent(fieldValue(contract, id), 2))).map((values) => {
    const e: Json = {};
    values.forEach((v, i) => {
      if (v !== undefined) setAtPath(e, refinements[i]![1].path!, v);
    });
    return e;
  });
  const hinted = fc.tuple(error, absent(hintBody(contract), 2)).map(([e, hints]) => ({ ...e, ...hints }));
  const body = fc.oneof(
    { arbitrary: hinted.map((e) => ({ error: e })), weight: 6 },
    // Gemini's compatible endpoint: the error inside a one-element array.
    { arbitrary: hinted.map((e) => [{ error: e }]), weight: 1 },
    // The SDKs read body.error, else the body itself: the code outside an error object.
    { arbitrary: error.map((e) => ({ ...e, error: 'message' })), weight: 1 },
    { arbitrary: anyJson(), weight: 1 },
  );
  return fc.tuple(status, headers, absent(body, 8)).map(([s, h, b]) => {
    const envelope: Json = { http_status: s };
    if (h !== undefined) envelope.headers = h;
    if (b !== undefined) envelope.body = b;
    return envelope;
  });
}

/**
 * Wrappers (spec/PROCEDURE.md step 2, "A wrapper"): error bodies one or two levels down under an application's own
 * keys, beside a string error, a message, an empty error or an error type; a recorded status_code of every form;
 * JSON:API errors arrays whose statuses are strings, numbers and garbage; and bare arrays of responses.
 */
function wrappers(contract: Contract): fc.Arbitrary<unknown> {
  const code = fc.oneof(
    fc.constantFrom(...knownValues(contract, 'error.code')),
    unknownString(contract),
    wrongType(contract),
  );
  const type = fc.oneof(fc.constantFrom(...knownValues(contract, 'error.type')), unknownString(contract));
  const errorObject = fc.record(
    { code, type, message: fc.constantFrom('x', 'Internal server error') },
    { requiredKeys: [] },
  );
  const status = fc.oneof(
    fc.integer({ min: 100, max: 999 }),
    fc.constantFrom<unknown>('400', '429', '502', '200', '0429', '4xx', 429.5, null),
  );
  const inner = fc.oneof(
    errorObject,
    errorObject.map((e) => ({ error: e })),
    fc.tuple(status, errorObject).map(([s, e]) => ({ status_code: s, error: e })),
    errorObject.map((e) => ({ error: { error: e } })),
    fc.constantFrom<Json>({ error: 'Upstream error' }, { object: 'response', status: 'in_progress', error: null }),
  );
  const key = fc.constantFrom('details', 'response', 'data', 'error', 'Data', 'meta', 'errors', '__proto__');
  const outer = fc.constantFrom<Json>(
    {},
    { message: 'x' },
    { error: 'Upstream error', status: 500 },
    { error: {} },
    { type: 'invalid_request_error' },
    { type: 'custom.progress' },
    { status: 429, title: 'Too Many Requests' },
    { status: 503, detail: 'x' },
    { status: '429', title: 'x' },
    { status: 200, title: 'OK' },
  );
  const wrapped = fc.tuple(outer, fc.array(fc.tuple(key, inner), { maxLength: 3 })).map(([o, pairs]) => {
    const body = cloneJson(o) as Json;
    for (const [k, v] of pairs) put(body, k, v);
    return body;
  });
  const jsonApiError = fc.oneof(
    fc.record({ status, code, title: fc.constant('x') }, { requiredKeys: [] }),
    fc.constantFrom<unknown>(null, 5, 'x'),
  );
  const jsonApi = fc.array(jsonApiError, { maxLength: 3 }).map((errors) => ({ errors }));
  // A bare array of responses (Gemini's stream), its error body among other values.
  const array = fc.array(fc.oneof(inner, fc.constantFrom<unknown>(null, 5, { candidates: [] })), { maxLength: 3 });
  return fc.oneof(wrapped, jsonApi, array);
}

/** Observations the procedure rejects at dispatch, and bodies full of prototype names. */
function junk(contract: Contract): fc.Arbitrary<unknown> {
  return fc.oneof(
    anyJson(),
    wrappers(contract),
    fc
      .tuple(fc.oneof(unknownString(contract), wrongType(contract)), anyJson())
      .map(([object, status]) => ({ object, status })),
    fc
      .oneof(
        fc.constantFrom<unknown>(...SCALARS, '429', 'abc'),
        fc.integer({ min: 600, max: 1000 }),
        fc.integer({ min: -5, max: 99 }),
      )
      .map((s) => ({ http_status: s, body: {} })),
    fc.integer({ min: 200, max: 299 }).map((s) => ({ http_status: s })),
    fc
      .tuple(
        fc.constantFrom(...PROTOTYPE_NAMES, 'object', 'type'),
        fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), anyJson()),
      )
      .map(([key, value]) => {
        const object: Json = {};
        put(object, key, value);
        return object;
      }),
  );
}

/**
 * Wraps a body in a 2xx envelope now and then: the procedure classifies it the same way, and its headers may carry
 * delay hints (a pending object's poll delay, a failed one's retry delay).
 */
function maybeEnvelope(body: fc.Arbitrary<Json>, contract: Contract): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: body, weight: 5 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(200, 201, 202), body, absent(hintHeaders(contract), 2))
        .map(([s, b, h]) => (h === undefined ? { http_status: s, body: b } : { http_status: s, headers: h, body: b })),
      weight: 2,
    },
  );
}

type Path = (string | number)[];
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = [], depth = 0): Path[] {
  if (depth > 6 || typeof value !== 'object' || value === null) return out;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    pathsOf(child, path, out, depth + 1);
  }
  return out;
}

/** A copy of a JSON value (several times faster than structuredClone for the small payloads mutated here). */
function cloneJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson);
  const copy: Json = {};
  for (const [key, child] of Object.entries(value)) put(copy, key, cloneJson(child));
  return copy;
}

/** A real payload (an observation of a derived vector) with one key deleted, replaced or added. */
export function mutation(bases: readonly unknown[], contract: Contract = publishedContract()): fc.Arbitrary<unknown> {
  const targets = bases.map((base) => ({ base, paths: pathsOf(base) })).filter((t) => t.paths.length > 0);
  if (targets.length === 0) return fc.constant(null);
  const replacement = fc.oneof(
    fc.constantFrom(...allKnownValues(contract)),
    unknownString(contract),
    wrongType(contract),
  );
  return fc
    .tuple(
      fc.constantFrom(...targets),
      fc.nat(),
      fc.constantFrom('delete', 'replace', 'add'),
      replacement,
      fc.constantFrom(...PROTOTYPE_NAMES, 'code', 'status', 'type', 'object'),
    )
    .map(([{ base, paths }, pick, op, value, key]) => {
      const copy = cloneJson(base) as Json;
      const path = paths[pick % paths.length]!;
      let parent: Record<string | number, unknown> = copy;
      for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      if (op === 'delete') {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else if (op === 'replace') put(parent as Json, String(last), value);
      else {
        const target = parent[last];
        if (typeof target === 'object' && target !== null && !Array.isArray(target)) put(target as Json, key, value);
        else put(parent as Json, String(last), value);
      }
      return copy;
    });
}

/** One arbitrary per group, each generating observations of that group (mutations may leave it). */
export function groupArbitraries(options: ArbitraryOptions = {}): Record<Group, fc.Arbitrary<unknown>> {
  const contract = options.contract ?? publishedContract();
  const fields = Object.entries(contract.fields);
  const statusFields = fields.filter(([, f]) => f.role === 'status' && f.dispatch).map(([id]) => id);
  const groupOfField = (id: string) => {
    const d = contract.fields[id]!.dispatch!;
    return groupOf(
      contract,
      d.object !== undefined ? { object: d.object } : d.type !== undefined ? { type: d.type } : { [d.key!]: {} },
    );
  };
  const eventFields = fields.filter(([, f]) => f.role === 'event').map(([id]) => id);
  // A field's bodies are drawn as often as it has entries (at least once), so that a field with many values (chat
  // finish reasons) reaches each of them about as often as a field with few reaches its own.
  const index = contractIndex(contract);
  const bodiesOf = (ids: string[]) =>
    ids.map((id) => ({ arbitrary: statusBody(contract, id), weight: Math.max(1, index.entriesOf(id).length) }));
  const responseFields = statusFields.filter((id) => groupOfField(id) === 'responses');
  const otherFields = statusFields.filter((id) => !responseFields.includes(id));
  // The observations that reach each entry (the conformance vectors' observations) are the real payloads mutated.
  const reaching = deriveObservations(contract).reaching.map((d) => ({
    group: groupOf(contract, d.observation),
    observation: d.observation,
  }));
  const basesOf = (group: Group) => reaching.filter((d) => d.group === group).map((d) => d.observation);
  const withMutations = (group: Group, arbitrary: fc.Arbitrary<unknown>) => {
    const bases = basesOf(group);
    return bases.length === 0
      ? arbitrary
      : fc.oneof({ arbitrary, weight: 3 }, { arbitrary: mutation(bases, contract), weight: 1 });
  };
  const orNull = (list: fc.WeightedArbitrary<Json>[]) => (list.length > 0 ? fc.oneof(...list) : fc.constant({}));
  return {
    responses: withMutations('responses', maybeEnvelope(orNull(bodiesOf(responseFields)), contract)),
    'async-resources': withMutations('async-resources', maybeEnvelope(orNull(bodiesOf(otherFields)), contract)),
    streams: withMutations(
      'streams',
      maybeEnvelope(orNull(eventFields.map((id) => ({ arbitrary: eventBody(contract, id), weight: 1 }))), contract),
    ),
    http: withMutations('http', httpEnvelope(contract)),
    robustness: withMutations('robustness', junk(contract)),
  };
}

/** Observations of the chosen groups (default: every group), generated from the contract. */
export function observation(options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const byGroup = groupArbitraries(options);
  const groups = options.groups ?? GROUPS;
  if (groups.length === 0) throw new RangeError('observation(): no groups to generate');
  return fc.oneof(...groups.map((g) => byGroup[g]));
}
