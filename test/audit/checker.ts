/**
 * The vocabulary audit: every literal of every failure-bearing SDK field (from the extractors) must have an
 * entry of the contract field the mapping (test/audit/sdk-fields.yaml) assigns to it, or a documented exclusion.
 * Pure: takes the extracted vocabularies, the mapping and the contract, returns what is covered and what is not.
 */
import { hasFailureWord, type SdkVocabulary } from './node-literals.js';

export interface MappingRule {
  /** The contract field whose entries (and those of the fields it shares values with) must cover the values. */
  contract?: string;
  /** `failure-only`: only values holding a failure word need an exact entry; the others may fall to the `*` entry. */
  values?: 'all' | 'failure-only';
  /** Values that need no entry, each with the reason. */
  exclude_values?: Record<string, string>;
  /** The whole SDK field needs no contract field: the reason. */
  exclude?: string;
}

/** Per SDK: SDK field key (exact, or a glob where `*` is any run of characters) -> contract field id or rule. */
export type Mapping = Partial<Record<'python' | 'node', Record<string, string | MappingRule>>>;

export interface ContractLike {
  fields: Record<string, { shares_values_with?: string }>;
  entries: Array<{ field: string; value: string }>;
}

export type Coverage = 'entry' | 'fallback' | 'excluded';

export interface Finding {
  sdk: string;
  field: string;
  value: string;
  contract: string;
  file: string;
  why: string;
  /** A non-failure value of a failure-only union: the field's `*` entry would cover it. */
  fallback: boolean;
}

export interface AuditResult {
  /** Literals checked (in mapped, not excluded, SDK fields), and how many are covered by an entry or fallback. */
  total: number;
  covered: number;
  byEntry: number;
  byFallback: number;
  excludedValues: number;
  excludedFields: Array<{ sdk: string; field: string; reason: string; values: number }>;
  uncovered: Finding[];
  unmapped: Array<{ sdk: string; field: string; values: string[]; file: string }>;
  /** Mapping keys that match no SDK field, and value exclusions that exclude nothing. */
  stale: string[];
  errors: string[];
}

function globRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** The contract fields whose entries count for `field`: itself, then along shares_values_with (transitively). */
export function vocabularyChain(contract: ContractLike, field: string): string[] {
  const chain: string[] = [];
  for (
    let f: string | undefined = field;
    f !== undefined && !chain.includes(f);
    f = contract.fields[f]?.shares_values_with
  )
    chain.push(f);
  return chain;
}

export function audit(vocabularies: SdkVocabulary[], mapping: Mapping, contract: ContractLike): AuditResult {
  const result: AuditResult = {
    total: 0,
    covered: 0,
    byEntry: 0,
    byFallback: 0,
    excludedValues: 0,
    excludedFields: [],
    uncovered: [],
    unmapped: [],
    stale: [],
    errors: [],
  };
  const values = new Map<string, Set<string>>();
  for (const e of contract.entries) {
    if (!values.has(e.field)) values.set(e.field, new Set());
    values.get(e.field)!.add(e.value);
  }
  for (const vocabulary of vocabularies) {
    const sdk = vocabulary.sdk;
    result.errors.push(...vocabulary.errors.map((e) => `${sdk}: ${e}`));
    const rules = Object.entries(mapping[sdk] ?? {});
    const exact = new Map(rules.filter(([k]) => !k.includes('*')));
    const globs = rules.filter(([k]) => k.includes('*')).map(([k, r]) => [k, globRegExp(k), r] as const);
    const used = new Set<string>();
    const usedExclusions = new Set<string>();
    for (const [field, sdkField] of Object.entries(vocabulary.fields)) {
      let key: string | undefined = exact.has(field) ? field : undefined;
      key ??= globs.find(([, re]) => re.test(field))?.[0];
      if (key === undefined) {
        result.unmapped.push({ sdk, field, values: sdkField.values, file: sdkField.file });
        continue;
      }
      used.add(key);
      const raw = exact.get(key) ?? globs.find(([k]) => k === key)![2];
      const rule: MappingRule = typeof raw === 'string' ? { contract: raw } : raw;
      if (rule.exclude !== undefined) {
        result.excludedFields.push({ sdk, field, reason: rule.exclude, values: sdkField.values.length });
        continue;
      }
      if (!rule.contract) {
        result.stale.push(`${sdk}: ${key}: neither contract nor exclude`);
        continue;
      }
      const chain = vocabularyChain(contract, rule.contract);
      // An exact entry, or a suffix entry (`*.failed`) of the field, which classify() matches for an unlisted value.
      const suffixes = chain.flatMap((f) =>
        [...(values.get(f) ?? [])].filter((v) => v.length > 1 && v.startsWith('*')).map((v) => v.slice(1)),
      );
      const has = (v: string) =>
        chain.some((f) => values.get(f)?.has(v)) || (v !== '*' && suffixes.some((x) => v.endsWith(x)));
      for (const value of sdkField.values) {
        const excluded = rule.exclude_values?.[value];
        if (excluded !== undefined) {
          usedExclusions.add(`${key}\u0000${value}`);
          if (has(value))
            result.stale.push(`${sdk}: ${key}: exclusion of "${value}", which ${rule.contract} now covers`);
          result.excludedValues++;
          continue;
        }
        result.total++;
        let coverage: Coverage | undefined;
        if (has(value)) coverage = 'entry';
        else if (rule.values === 'failure-only' && !hasFailureWord(value) && has('*')) coverage = 'fallback';
        if (coverage === 'entry') result.byEntry++;
        if (coverage === 'fallback') result.byFallback++;
        if (coverage) {
          result.covered++;
          continue;
        }
        const why = !(rule.contract in contract.fields)
          ? 'contract field missing'
          : rule.values === 'failure-only' && !hasFailureWord(value)
            ? 'no entry and no * entry'
            : 'no entry';
        const fallback = rule.values === 'failure-only' && !hasFailureWord(value);
        result.uncovered.push({ sdk, field, value, contract: rule.contract, file: sdkField.file, why, fallback });
      }
    }
    for (const [key, raw] of rules) {
      if (!used.has(key)) result.stale.push(`${sdk}: ${key}: matches no failure-bearing SDK field`);
      if (typeof raw !== 'string')
        for (const value of Object.keys(raw.exclude_values ?? {}))
          if (used.has(key) && !usedExclusions.has(`${key}\u0000${value}`))
            result.stale.push(`${sdk}: ${key}: exclusion of "${value}", which the SDK does not list`);
    }
  }
  return result;
}

export function coverageLine(result: AuditResult, versions: Record<string, string>): string {
  const pct = result.total ? ((100 * result.covered) / result.total).toFixed(1) : '100.0';
  const sdks = Object.entries(versions)
    .map(([sdk, v]) => `${sdk} openai ${v}`)
    .join(', ');
  return `SDK vocabulary audit: ${result.covered}/${result.total} literals covered (${pct}%), ${sdks}`;
}

/** The SDK type of a finding: `Response`, `Run.LastError` (the key without its module or file and property). */
export function sdkType(f: Pick<Finding, 'sdk' | 'field' | 'file'>): string {
  const withoutProperty = f.field.slice(0, f.field.lastIndexOf('.'));
  if (f.sdk === 'node') return withoutProperty.slice(withoutProperty.indexOf('#') + 1);
  const module = f.file.replace(/\.py$/, '').replace(/\//g, '.');
  return withoutProperty.startsWith(`${module}.`) ? withoutProperty.slice(module.length + 1) : withoutProperty;
}

/**
 * The uncovered values grouped by contract field, as a Markdown table (for test/audit/README.md). The non-failure
 * values of a failure-only union make one row: the field's `*` entry covers them all.
 */
export function missingTable(result: AuditResult): string {
  const byField = new Map<string, Map<string, Set<string>>>();
  const fallbacks = new Map<string, Set<string>>();
  for (const f of result.uncovered) {
    if (!byField.has(f.contract)) byField.set(f.contract, new Map());
    const from = `${f.sdk} \`${sdkType(f)}\` (${f.file})`;
    if (f.fallback) {
      if (!byField.get(f.contract)!.has('*')) byField.get(f.contract)!.set('*', new Set());
      byField.get(f.contract)!.get('*')!.add(from);
      fallbacks.set(f.contract, (fallbacks.get(f.contract) ?? new Set()).add(f.value));
      continue;
    }
    const perValue = byField.get(f.contract)!;
    if (!perValue.has(f.value)) perValue.set(f.value, new Set());
    perValue.get(f.value)!.add(from);
  }
  const rows = [...byField.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([field, perValue]) => {
      const missing = result.uncovered.find((f) => f.contract === field)!.why === 'contract field missing';
      const values = [...perValue.entries()].sort(([a], [b]) => (a === '*' ? 1 : b === '*' ? -1 : 0));
      return values.map(([value, from], i) => {
        const list = [...from];
        const shown = list.length > 6 ? [...list.slice(0, 5), `… and ${list.length - 5} more`] : list;
        const others = [...(fallbacks.get(field) ?? [])];
        const label =
          value === '*'
            ? `\`*\` (the fallback for ${others.length} other value${others.length === 1 ? '' : 's'}: ${others
                .slice(0, 4)
                .map((v) => `\`${v}\``)
                .join(', ')}${others.length > 4 ? ', …' : ''})`
            : `\`${value}\``;
        return `| ${i === 0 ? `\`${field}\`${missing ? ' (new field)' : ''}` : ''} | ${label} | ${shown.join('<br>')} |`;
      });
    });
  return ['| contract field | value | SDK field(s) |', '| --- | --- | --- |', ...rows].join('\n');
}
