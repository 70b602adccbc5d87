// The SDK registry (spec/sdks.yaml, published as contract.json's `sdks`): which SDKs every kind binds a class in,
// how a class is written, and where the schemas get their per-SDK properties. The one place that knows the SDK ids.

interface BindingLike {
  class: string;
  module: string;
  qualified?: string;
}

/** The class as code writes it: the binding's own `qualified`, else the SDK's template filled in. */
export function qualifiedName(template: string, binding: BindingLike): string {
  return binding.qualified ?? fill(template, binding);
}

function fill(template: string, binding: BindingLike): string {
  return template.replaceAll('{module}', binding.module).replaceAll('{class}', binding.class);
}

function major(version: string): number {
  return Number(version.replace(/^v/, '').split('.')[0]);
}

/**
 * The SDKs whose binding the published schema requires at this contract version: those bound since an earlier
 * major version. A binding added in a minor release is optional until the next major one, so that adding an SDK
 * only loosens the published schema (a minor change) and requiring it is the breaking step, taken at a major.
 */
export function requiredSdks(sdks: readonly { id: string; since: string }[], version: string): string[] {
  return sdks.filter((s) => major(s.since) < major(version)).map((s) => s.id);
}

type Schema = Record<string, unknown>;

/**
 * An object schema that takes one `binding` per SDK id: the generic schema in schemas/ accepts any further key as a
 * binding; this one names each SDK (before `sources`, where a reader expects them), requires `required` and closes
 * the object, so that a misspelt SDK key is an error and the types name every SDK.
 */
export function withBindings(
  schema: Schema,
  ids: readonly string[],
  required: readonly string[],
  binding: Schema,
): Schema {
  const properties: Schema = {};
  for (const [key, value] of Object.entries(schema.properties as Schema)) {
    if (key === 'sources') for (const id of ids) properties[id] = binding;
    properties[key] = value;
  }
  for (const id of ids) properties[id] ??= binding;
  return {
    ...schema,
    additionalProperties: false,
    required: [...(schema.required as string[]), ...required],
    properties,
  };
}

interface RegistryLike {
  sdks?: Record<string, { label: string; qualified: string; import: string }>;
}

export interface KindClass<B extends BindingLike = BindingLike> {
  sdk: string;
  label: string;
  binding: B;
  /** The class as code writes it. */
  qualified: string;
  /** How code imports it (the SDK's `import` template filled in). */
  importLine: string;
}

/** A kind's class in each SDK of the contract, in the registry's order; an SDK the kind has no binding for is left out. */
export function classesOf<B extends BindingLike>(contract: RegistryLike, kind: object): KindClass<B>[] {
  const bindings = kind as Record<string, B | undefined>;
  const out: KindClass<B>[] = [];
  for (const [sdk, s] of Object.entries(contract.sdks ?? {})) {
    const binding = bindings[sdk];
    if (binding)
      out.push({
        sdk,
        label: s.label,
        binding,
        qualified: qualifiedName(s.qualified, binding),
        importLine: fill(s.import, binding),
      });
  }
  return out;
}

/** The `sdk` object of a result: SDK id -> the class as code writes it. */
export function sdkObject(contract: RegistryLike, kind: object): Record<string, string> {
  return Object.fromEntries(classesOf(contract, kind).map((c) => [c.sdk, c.qualified]));
}

/** `openai.RateLimitError (Python), RateLimitError (Node), …`: a result's classes on one line of text. */
export function classesText(contract: RegistryLike, sdk: Record<string, string>): string {
  return Object.entries(sdk)
    .map(([id, name]) => `${name} (${contract.sdks?.[id]?.label ?? id})`)
    .join(', ');
}
