// Step 6 of spec/PROCEDURE.md on an envelope's result: the contract's `message_rules` (a fact a provider states only
// in its error message), then the delay the server asked for, read from the envelope's headers and error body as the
// contract's `hints` say, into `retry_after_ms`, and the horizon applied to its `action`. Applied only to results of
// envelopes (an observation with http_status), after classification: a bare body carries neither, so the
// classifier's hot path never sees this module. A step of its own after the decision, with a fast exit for the
// commonest error envelope (no hint header, an error object without any body hint's first key, a message without
// any text hint's phrase).
import type { Contract, DelayHint, MessageRule, Result } from '../../generated/types.js';
import { compileReader, type Reader } from '../field-path.js';
import { sdkObject } from '../sdks.js';

type Json = Record<string, unknown>;

/**
 * Applies the message rules to the result of an envelope, then adds the observation's delay (and the horizon's
 * verdict). `holdsBodyHintKey` tells
 * whether an error object holds a key of bodyHintKeys(contract) (Tables.holdsBodyHintKey: generated named reads).
 */
export type HintApplier = (
  result: Result,
  headers: unknown,
  body: unknown,
  holdsBodyHintKey: (error: Json) => boolean,
) => Result;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;
const INTEGER = /^[0-9]+$/;
const DURATION = /^([0-9]+)(?:\.([0-9]{1,9}))?s$/;
const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '([0-9]{2}):([0-9]{2}):([0-9]{2})';
/** IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(`^${DAY}, ([0-9]{2}) ${MONTH} ([0-9]{4}) ${TIME} GMT$`);
/** asctime: `Sun Nov  6 08:49:37 1994` (a one-digit day after two spaces). */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( [0-9]|[0-9]{2}) ${TIME} ([0-9]{4})$`);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Leading and trailing spaces and tabs (HTTP's optional whitespace) removed; nothing else. */
function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return text.slice(start, end);
}

/**
 * Whole milliseconds from decimal digits (`whole` and `fraction`) of a unit `scale` digits above a millisecond
 * (0: milliseconds, 3: seconds), rounded up, exactly (no binary floating point), at most `max`.
 */
function digitsToMs(whole: string, fraction: string, scale: number, max: number): number {
  const significant = whole.replace(/^0+/, '');
  // More than 15 digits cannot be exact in a double, and is far beyond any maximum anyway.
  if (significant.length + scale > 15) return max;
  const padded = (fraction + '000').slice(0, scale);
  const rest = fraction.slice(scale);
  const ms = Number(significant || '0') * 10 ** scale + Number(padded || '0') + (/[1-9]/.test(rest) ? 1 : 0);
  return Math.min(ms, max);
}

function daysFromCivil(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date, in integers only.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Seconds since the epoch of an HTTP date in IMF-fixdate or asctime form (RFC 9110, 5.6.7), or undefined. The
 * obsolete RFC 850 form is not read: its two-digit year needs a clock to place it, and classification has none. The
 * day name is not checked against the date.
 */
function parseHttpDate(text: string): number | undefined {
  const imf = IMF_FIXDATE.exec(text);
  const asc = imf ? null : ASCTIME.exec(text);
  // [day, month, year, hour, minute, second] as written.
  const parts = imf
    ? [imf[2], imf[3], imf[4], imf[5], imf[6], imf[7]]
    : asc
      ? [asc[3], asc[2], asc[7], asc[4], asc[5], asc[6]]
      : undefined;
  if (parts === undefined) return undefined;
  const [day, month, year, hh, mm, ss] = parts as string[];
  const y = Number(year),
    mon = MONTHS.indexOf(month!) + 1,
    d = Number(day!.trim());
  const h = Number(hh),
    mi = Number(mm),
    s = Number(ss);
  if (d < 1 || d > daysInMonth(y, mon) || h > 23 || mi > 59 || s > 60) return undefined;
  return daysFromCivil(y, mon, d) * 86400 + h * 3600 + mi * 60 + s;
}

/** A component of a Go duration (`2m59.56s`, `417ms`), the form OpenAI and Groq write a delay in; `ms` before `m`. */
const GO_COMPONENT = /^([0-9]+)(?:\.([0-9]+))?(h|ms|m|s|us|\u00b5s|\u03bcs|ns)/;
/** A number of seconds or milliseconds in words (`60 seconds`, `1 second`), Azure's form. */
const IN_WORDS = /^([0-9]+)(?:\.([0-9]+))? (milliseconds|millisecond|seconds|second)/;
/** Nanoseconds a unit holds. */
const NANOSECONDS: Record<string, bigint> = {
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  '\u00b5s': 1_000n,
  '\u03bcs': 1_000n,
  ns: 1n,
  seconds: 1_000_000_000n,
  second: 1_000_000_000n,
  milliseconds: 1_000_000n,
  millisecond: 1_000_000n,
};
/** The longest fraction a text delay may write (a Go duration has at most 9 digits); a longer one is no delay. */
const MAX_FRACTION_DIGITS = 18;

/** Nanoseconds of `whole.fraction` units, rounded up to a whole nanosecond; undefined when beyond any maximum. */
function componentNs(whole: string, fraction: string, unit: bigint): bigint | undefined {
  const significant = whole.replace(/^0+/, '');
  // 15 significant digits of hours are already far beyond max_delay_ms.
  if (significant.length > 15) return undefined;
  let ns = BigInt(significant || '0') * unit;
  if (fraction.length > 0) {
    const scale = 10n ** BigInt(fraction.length);
    const part = BigInt(fraction) * unit;
    ns += part / scale + (part % scale === 0n ? 0n : 1n);
  }
  return ns;
}

/**
 * The delay written in `text` right after the first occurrence of `phrase` (format `text_delay`): a Go duration, one
 * or more `DIGITS[.DIGITS]unit` components (h, m, s, ms, us, µs, ns), or `DIGITS[.DIGITS]` then a space and
 * `seconds`/`second`/`milliseconds`/`millisecond`. Each component rounds up to a nanosecond, their sum up to a
 * millisecond, at most `max`. Anything else after the phrase (or no phrase) gives undefined.
 */
export function parseTextDelay(text: string, phrase: RegExp, max: number): number | undefined {
  const found = phrase.exec(text);
  if (found === null) return undefined;
  let rest = text.slice(found.index + found[0].length);
  let total = 0n;
  let beyond = false;
  let components = 0;
  for (let m = GO_COMPONENT.exec(rest); m !== null; m = GO_COMPONENT.exec(rest)) {
    if ((m[2] ?? '').length > MAX_FRACTION_DIGITS) return undefined;
    const ns = componentNs(m[1]!, m[2] ?? '', NANOSECONDS[m[3]!]!);
    if (ns === undefined) beyond = true;
    else total += ns;
    components++;
    rest = rest.slice(m[0].length);
  }
  if (components === 0) {
    const m = IN_WORDS.exec(rest);
    if (m === null || (m[2] ?? '').length > MAX_FRACTION_DIGITS) return undefined;
    const ns = componentNs(m[1]!, m[2] ?? '', NANOSECONDS[m[3]!]!);
    if (ns === undefined) beyond = true;
    else total = ns;
  }
  if (beyond) return max;
  const ms = total / 1_000_000n + (total % 1_000_000n === 0n ? 0n : 1n);
  return ms > BigInt(max) ? max : Number(ms);
}

/** A phrase as a pattern whose ASCII letters match in either case (nothing else folds, in every language alike). */
export function phrasePattern(phrase: string): RegExp {
  let source = '';
  for (const c of phrase)
    source += /[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(source);
}

/** `requested_above_limit`: the message's first `Limit N, [Used N, ]Requested [~]N` asks for more than the limit. */
const LIMIT_AND_REQUEST = /Limit ([0-9]+), (?:Used [0-9]+, )?Requested ~?([0-9]+)/;

/** Whether decimal digits `a` are a larger integer than `b`, exactly, however many digits. */
function greater(a: string, b: string): boolean {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  return x.length !== y.length ? x.length > y.length : x > y;
}

/**
 * The test a message rule names, on the error object's message: `requested_above_limit`, or `phrases` (the message
 * holds one of the rule's phrases, ASCII letters in either case, as phrasePattern matches a text hint's phrase).
 */
export function messageTest(rule: MessageRule): (message: string) => boolean {
  if (rule.test === 'phrases') {
    const pattern = new RegExp((rule.phrases ?? []).map((phrase) => phrasePattern(phrase).source).join('|'));
    const shortest = Math.min(...(rule.phrases ?? []).map((phrase) => phrase.length));
    return (message) => message.length >= shortest && pattern.test(message);
  }
  return (message) => {
    // A string search first: most messages state no request at all, and it is cheaper than the pattern.
    if (!message.includes('Requested ')) return false;
    const m = LIMIT_AND_REQUEST.exec(message);
    return m !== null && greater(m[2]!, m[1]!);
  };
}

/**
 * What a message must hold for a rule's test to hold: a pattern and the shortest such message. The rules of one kind
 * share one screen (their patterns joined), so a message that holds none of them costs one search.
 */
function messageScreen(rule: MessageRule): { source: string; shortest: number } {
  if (rule.test === 'phrases') {
    const phrases = rule.phrases ?? [];
    return {
      source: phrases.map((phrase) => phrasePattern(phrase).source).join('|'),
      shortest: Math.min(...phrases.map((phrase) => phrase.length)),
    };
  }
  // `Limit D, Requested D` at the least.
  return { source: 'Requested ', shortest: 'Limit 0, Requested 0'.length };
}

/**
 * The delay one hint value gives, in whole milliseconds clamped to `max`, or undefined when the value is not of its
 * format (garbage, a sign, an exponent, a negative number). `date` is the response's `date` header, against which
 * an HTTP date is taken; without a readable one an HTTP date gives nothing.
 */
function parseHintValue(format: DelayHint['format'], value: unknown, max: number, date?: unknown): number | undefined {
  if (format === 'seconds_number') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
    // Binary64 arithmetic, as JSON numbers are: the same ceiling in every language.
    const ms = Math.ceil(value * 1000);
    return ms > max ? max : ms + 0;
  }
  if (typeof value !== 'string') return undefined;
  const text = trimOws(value);
  switch (format) {
    case 'integer_ms':
      return INTEGER.test(text) ? digitsToMs(text, '', 0, max) : undefined;
    case 'decimal_ms': {
      const m = DECIMAL.exec(text);
      return m ? digitsToMs(m[1]!, m[2] ?? '', 0, max) : undefined;
    }
    case 'duration': {
      const m = DURATION.exec(text);
      return m ? digitsToMs(m[1]!, m[2] ?? '', 3, max) : undefined;
    }
    case 'text_delay':
      // Read with its hint's phrase: parseTextDelay.
      return undefined;
    case 'seconds_or_http_date': {
      const m = DECIMAL.exec(text);
      if (m) return digitsToMs(m[1]!, m[2] ?? '', 3, max);
      const at = parseHttpDate(text);
      if (at === undefined || typeof date !== 'string') return undefined;
      const now = parseHttpDate(trimOws(date));
      if (now === undefined) return undefined;
      // A date in the past asks for no wait at all.
      return Math.min(Math.max(at - now, 0) * 1000, max);
    }
  }
}

/**
 * The value of each wanted header (names in lower case): a name is matched case-insensitively, as HTTP does. Headers
 * whose names differ only in case are one header whose values join with `, ` (as both SDKs read them): a joined value
 * is no hint of any format, so such a header gives nothing. Undefined (and nothing allocated) when none is present,
 * the common case.
 */
function readHeaders(
  headers: Json,
  wanted: ReadonlySet<string>,
  lengths: ReadonlySet<number>,
): Map<string, unknown> | undefined {
  let any = false;
  for (const name in headers) {
    if (lengths.has(name.length) && Object.hasOwn(headers, name) && wanted.has(name.toLowerCase())) {
      any = true;
      break;
    }
  }
  if (!any) return undefined;
  const found = new Map<string, unknown>();
  const repeated = new Set<string>();
  for (const name in headers) {
    if (!lengths.has(name.length) || !Object.hasOwn(headers, name)) continue;
    const lower = name.toLowerCase();
    if (!wanted.has(lower)) continue;
    if (found.has(lower)) repeated.add(lower);
    found.set(lower, headers[name]);
  }
  for (const name of repeated) found.set(name, undefined);
  return found;
}

/** The error object a body hint is read in: body.error when it is an object, else the body; an array body's first element's error. */
function errorObject(body: unknown): Json | undefined {
  if (isObject(body)) return isObject(body.error) ? body.error : body;
  if (Array.isArray(body) && isObject(body[0]) && isObject(body[0].error)) return body[0].error;
  return undefined;
}

/**
 * A body hint's reader: the keys along the path, read as the classifier reads paths (compileReader: own keys for the
 * names Object.prototype has); a final `[]` segment selects the first array element `match` accepts and reads `key`.
 */
function bodyReader(hint: DelayHint): (error: Json) => unknown {
  const path = hint.body!;
  if (!path.endsWith('[]')) return compileReader(path);
  const list = compileReader(path.slice(0, -2));
  const match = Object.entries(hint.match ?? {});
  const key = hint.key!;
  const accepts = (item: unknown): item is Json =>
    isObject(item) && match.every(([k, v]) => Object.hasOwn(item, k) && item[k] === v);
  return (error) => {
    const value = list(error);
    if (!Array.isArray(value)) return undefined;
    const element = value.find(accepts);
    return element === undefined || !Object.hasOwn(element, key) ? undefined : element[key];
  };
}

/**
 * How many results with a delay are kept for reuse: the same envelope gives the very same frozen result, as every
 * other classification does, while delays an attacker picks cannot grow memory without bound (past this, each is
 * a fresh frozen object, equal but not shared).
 */
const SHARED_HINTED_RESULTS = 65_536;

/** The names of the headers the hints of a contract read (lower case): a response without them carries no header hint. */
export function hintHeaderNames(contract: Contract): string[] {
  return Object.values(contract.hints ?? {}).flatMap((h) => (h.header === undefined ? [] : [h.header]));
}

/**
 * A reader of the first key of each body hint's path, as the hint's own reader reads it: an error object in which
 * every one reads undefined carries no body hint (the commonest error body). The generated classifier renders them
 * as named reads (compile.ts); the interpreter calls them.
 */
export function bodyHintKeys(contract: Contract): Reader[] {
  // A text hint reads `message`, which nearly every error object has: its phrase, not its key, tells (textPhrases).
  const paths = Object.values(contract.hints ?? {}).flatMap((h) =>
    h.applies_to === 'failure' && h.body !== undefined && h.format !== 'text_delay' ? [h.body] : [],
  );
  return [...new Set(paths.map((path) => path.split('.')[0]!.replace('[]', '')))].map(compileReader);
}

/**
 * The HTTP status a kind's result reports: the kind's own (429, 401), or the lowest of its range (`>=500` -> 500,
 * what the entries of that kind report and the raising helpers send); null when it names none.
 */
function kindStatus(status: unknown): number | null {
  if (typeof status === 'number') return status;
  const range = typeof status === 'string' ? /^>=([0-9]{3})$/.exec(status) : null;
  return range === null ? null : Number(range[1]);
}

/**
 * The message rules of a contract (spec/PROCEDURE.md, "Message rules") as one function, for a failed result and the
 * message of the error object it was read from, on an envelope's result (`bare` false) or a bare body's (`bare`
 * true): the result the first rule whose kind, scope and test hold gives (each built once per base result and
 * shared), else the result unchanged. Undefined for a contract without rules.
 */
export type MessageRules = (result: Result, message: unknown, bare: boolean) => Result;

/**
 * The screen of one kind's rules: a message shorter than `shortest`, or on which `pattern` (every phrase of the
 * kind's rules) does not match, leaves a result of that kind unchanged. The generated classifier tests it inline, so
 * that the commonest message (one no rule reads) costs no call.
 */
export interface MessageScreen {
  pattern: RegExp;
  shortest: number;
}

/**
 * The deciding entries each scope admits (undefined: every entry). `fallback`: a field's `*` entry or an HTTP status
 * entry, where no listed code or type decided; `generic`: those, and the entries of an error type (a type names the
 * class of a failure, a code its cause), where no listed code decided.
 */
function ruleScopes(contract: Contract): Record<NonNullable<MessageRule['scope']>, ReadonlySet<string> | undefined> {
  const fields = contract.fields;
  // The fields that read an error's type, and the vocabularies they share their values with.
  const typeFields = new Set<string>();
  for (const [id, field] of Object.entries(fields))
    if (
      field.path !== undefined &&
      /(^|\.)type$/.test(field.path) &&
      field.role !== 'event' &&
      field.role !== 'status'
    ) {
      typeFields.add(id);
      if (field.shares_values_with !== undefined) typeFields.add(field.shares_values_with);
    }
  const fallback = new Set<string>();
  const generic = new Set<string>();
  for (const e of contract.entries) {
    const unnamed = e.value === '*' || fields[e.field]?.role === 'http';
    if (unnamed) fallback.add(e.id);
    if (unnamed || typeFields.has(e.field)) generic.add(e.id);
  }
  return { any: undefined, fallback, generic };
}

/**
 * Whether a message rule of the contract may change a result: the result is failed and some rule lists its kind with
 * a scope that admits its entry. The generated classifier hands only such results to the rules.
 */
export function ruleMayApply(contract: Contract): (result: Result) => boolean {
  const scopes = ruleScopes(contract);
  const rules = Object.values(contract.message_rules ?? {});
  return (result) =>
    result.outcome === 'failed' &&
    result.kind !== null &&
    rules.some((rule) => {
      const admits = scopes[rule.scope ?? 'any'];
      return (rule.kinds as string[]).includes(result.kind!) && (admits === undefined || admits.has(result.entry!));
    });
}

function compileMessageRules(
  contract: Contract,
): { rules: MessageRules; screens: ReadonlyMap<string, MessageScreen> } | undefined {
  const rules = Object.entries(contract.message_rules ?? {}).sort(([, a], [, b]) => a.precedence - b.precedence);
  if (rules.length === 0) return undefined;
  const scopes = ruleScopes(contract);
  type Compiled = {
    id: string;
    rule: MessageRule;
    admits: ReadonlySet<string> | undefined;
    test: (message: string) => boolean;
  };
  // Each kind's rules in precedence order, so that a result of another kind costs one lookup, with their screen.
  const lists = new Map<string, Compiled[]>();
  for (const [id, rule] of rules)
    for (const kind of rule.kinds) {
      let list = lists.get(kind);
      if (list === undefined) lists.set(kind, (list = []));
      list.push({ id, rule, admits: scopes[rule.scope ?? 'any'], test: messageTest(rule) });
    }
  const byKind = new Map(
    [...lists].map(([kind, list]) => {
      const screens = list.map(({ rule }) => messageScreen(rule));
      const pattern = new RegExp(screens.map((x) => x.source).join('|'));
      return [kind, { list, pattern, shortest: Math.min(...screens.map((x) => x.shortest)) }] as const;
    }),
  );
  // Base result -> rule id (and whether on a bare body) -> the result it gives.
  const ruled = new Map<Result, Map<string, Result>>();
  const build = (result: Result, { id, rule }: Compiled, bare: boolean): Result => {
    // A bare body's kind is the contract's judgement, which a rule may name; an envelope's is the SDK's class.
    const kind = bare && rule.kind !== undefined ? rule.kind : result.kind;
    const renamed = kind !== result.kind && kind !== null ? contract.kinds[kind] : undefined;
    return Object.freeze({
      ...result,
      ...(renamed === undefined
        ? {}
        : {
            kind,
            http_status: kindStatus(renamed.http_status),
            sdk: Object.freeze(sdkObject(contract, renamed)),
          }),
      retryable: rule.retryable,
      throttling: rule.throttling,
      action: rule.action,
      rule: id,
    }) as Result;
  };
  const applyRules: MessageRules = (result, message, bare) => {
    const kind = result.kind === null || result.outcome !== 'failed' ? undefined : byKind.get(result.kind);
    // Most messages hold nothing any rule of the kind reads: too short, or none of their phrases.
    if (kind === undefined || typeof message !== 'string' || message.length < kind.shortest) return result;
    if (!kind.pattern.test(message)) return result;
    const list = kind.list;
    for (let i = 0; i < list.length; i++) {
      const compiled = list[i]!;
      if (compiled.admits !== undefined && !compiled.admits.has(result.entry!)) continue;
      if (!compiled.test(message)) continue;
      let byRule = ruled.get(result);
      if (byRule === undefined) ruled.set(result, (byRule = new Map()));
      const key = bare ? `${compiled.id} bare` : compiled.id;
      let found = byRule.get(key);
      if (found === undefined) byRule.set(key, (found = build(result, compiled, bare)));
      return found;
    }
    return result;
  };
  // Each kind's entry is its screen (MessageScreen) too.
  return { rules: applyRules, screens: byKind };
}

/**
 * Step 6 of a contract: `apply`, the whole step; and its parts that the generated classifier calls itself for an
 * envelope without hint headers, to skip what cannot apply: the message rules (for a failed result of one of
 * `ruledKinds`) and whether an error object's message holds a text hint's phrase.
 */
export interface Step6 {
  apply: HintApplier;
  /** The result the first message rule that holds gives, else the result; undefined for a contract without rules. */
  messageRules?: MessageRules;
  /** The kinds some message rule is for: a result of another kind is never changed by one. */
  ruledKinds: ReadonlySet<string>;
  /** Each of `ruledKinds`' screen: a message it rejects leaves a result of that kind unchanged. */
  messageScreens: ReadonlyMap<string, MessageScreen>;
  /**
   * Whether a message may hold a text hint's phrase: a string at least `shortest` long on which `pattern` (every
   * phrase) matches. Undefined for a contract without text hints.
   */
  phrases?: { pattern: RegExp; shortest: number };
}

/** The step-6 applier of a contract, or undefined for one without hints (a release before 3.0.0). */
export function compileHints(contract: Contract): Step6 | undefined {
  const hints = Object.values(contract.hints ?? {}).sort((a, b) => a.precedence - b.precedence);
  const policy = contract.retry_policy;
  if (hints.length === 0 || policy === undefined) return undefined;
  const compiledRules = compileMessageRules(contract);
  const messageRules = compiledRules?.rules;
  const actions = contract.actions ?? {};
  const max = policy.max_delay_ms;
  const failure = hints.filter((h) => h.applies_to === 'failure');
  const pending = hints.filter((h) => h.applies_to === 'pending');
  const wanted = new Set<string>(['date', ...hintHeaderNames(contract)]);
  const lengths = new Set([...wanted].map((n) => n.length));
  type Step = { format: DelayHint['format']; header?: string; read?: (error: Json) => unknown; phrase?: RegExp };
  const steps = (list: DelayHint[]): Step[] =>
    list.map((h) =>
      h.header !== undefined
        ? { format: h.format, header: h.header }
        : {
            format: h.format,
            read: bodyReader(h),
            ...(h.format === 'text_delay' && h.after !== undefined ? { phrase: phrasePattern(h.after) } : {}),
          },
    );
  const failureSteps = steps(failure);
  const pendingSteps = steps(pending);
  // Whether an error object's message holds a text hint's phrase: one pattern for all of them (the fast exit's part
  // for text hints, whose key, `message`, nearly every error object has).
  const phrases = failureSteps.flatMap((step) => (step.phrase === undefined ? [] : [step.phrase.source]));
  const anyPhrase = phrases.length === 0 ? undefined : new RegExp(phrases.join('|'));
  // A message shorter than every phrase holds none of them: no pattern is run on it.
  const shortest = Math.min(...failure.flatMap((h) => (h.after === undefined ? [] : [h.after.length])));
  const holdsPhrase = (error: Json): boolean => {
    if (anyPhrase === undefined) return false;
    // A plain read, as compileReader reads a key Object.prototype does not have.
    const message = error.message;
    return typeof message === 'string' && message.length >= shortest && anyPhrase.test(message);
  };
  const failureReadsBody = failureSteps.some((s) => s.read !== undefined);
  const pendingReadsBody = pendingSteps.some((s) => s.read !== undefined);

  /** The delay of the first hint in `list` that the headers or the error object (known to hold a hint key) give. */
  const delay = (list: Step[], headers: unknown, error: Json | undefined): number | undefined => {
    const values = isObject(headers) ? readHeaders(headers, wanted, lengths) : undefined;
    if (values === undefined && error === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const step = list[i]!;
      let ms: number | undefined;
      if (step.header !== undefined) {
        if (values !== undefined && values.has(step.header))
          ms = parseHintValue(step.format, values.get(step.header), max, values.get('date'));
      } else if (error !== undefined) {
        const value = step.read!(error);
        if (step.phrase !== undefined) {
          if (typeof value === 'string') ms = parseTextDelay(value, step.phrase, max);
        } else if (value !== undefined) ms = parseHintValue(step.format, value, max);
      }
      if (ms !== undefined) return ms;
    }
    return undefined;
  };

  // Base result -> delay -> the result with that delay (its action follows from both).
  const shared = new Map<Result, Map<number, Result>>();
  let count = 0;
  const apply: HintApplier = (base, headers, body, holdsBodyHintKey) => {
    const outcome = base.outcome;
    const failure =
      outcome === 'failed' || outcome === 'incomplete' || outcome === 'cancelled' || outcome === 'expired';
    const readsBody = failure ? failureReadsBody : pendingReadsBody;
    const ruled = messageRules !== undefined && outcome === 'failed';
    // The error object, read once for the rules and the body hints.
    const errorOf = readsBody || ruled ? errorObject(body) : undefined;
    // A rule changes only the retry decision and action of a failed result, never its outcome.
    const result = ruled ? messageRules(base, errorOf === undefined ? undefined : errorOf.message, false) : base;
    const list = failure ? failureSteps : outcome === 'pending' ? pendingSteps : undefined;
    if (list === undefined || list.length === 0) return result;
    // The fast exit, taken by most error envelopes: no headers (classify() passes none when no name is one a step
    // reads) and an error object that holds no body hint's key, which named reads tell, nor a text hint's phrase.
    let error = readsBody ? errorOf : undefined;
    if (error !== undefined && !holdsBodyHintKey(error) && !(failure && holdsPhrase(error))) error = undefined;
    if (error === undefined && !isObject(headers)) return result;
    const ms = delay(list, headers, error);
    if (ms === undefined) return result;
    let byDelay = shared.get(result);
    const found = byDelay?.get(ms);
    if (found !== undefined) return found;
    // The horizon: a retry within the run is not worth a longer wait; the data names what to do instead.
    const beyond =
      result.retryable &&
      ms > policy.horizon_ms &&
      result.action !== null &&
      actions[result.action]?.retry === 'in_run';
    const withDelay = Object.freeze({
      ...result,
      retry_after_ms: ms,
      action: beyond ? policy.beyond_horizon : result.action,
    });
    if (count < SHARED_HINTED_RESULTS) {
      if (byDelay === undefined) shared.set(result, (byDelay = new Map()));
      byDelay.set(ms, withDelay);
      count++;
    }
    return withDelay;
  };
  const messageScreens = compiledRules?.screens ?? new Map<string, MessageScreen>();
  return {
    apply,
    ...(messageRules ? { messageRules } : {}),
    ruledKinds: new Set(messageScreens.keys()),
    messageScreens,
    ...(anyPhrase ? { phrases: { pattern: anyPhrase, shortest } } : {}),
  };
}
