// Every entry of the contract, classified from an observation synthesised from the data, gives its own answer.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { entryExamples } from '../../src/classify/examples.js';
import { isReplaced } from '../../src/classify/tables.js';
import { publishedContract } from '../../src/contract.js';
import { validateResult } from '../support/result-schema.js';

const contract = publishedContract();
const examples = entryExamples(contract);
const byId = new Map<string, (typeof contract.entries)[number]>(contract.entries.map((e) => [e.id, e]));

describe('every entry', () => {
  it('has an example observation', () => {
    const covered = new Set(examples.map((e) => e.entry.id));
    // A replaced entry takes no part in classification; its replacement's example stands for it.
    const missing = contract.entries.filter((e) => !covered.has(e.id) && !isReplaced(e)).map((e) => e.id);
    expect(missing).toEqual([]);
  });

  it.each(examples.map((e) => [e.entry.id, e] as const))('%s', (_id, example) => {
    const result = classify(example.observation);
    const decider = byId.get(example.decidedBy)!;
    expect(result.entry).toBe(decider.id);
    expect(result.outcome).toBe(example.outcome);
    expect(result.kind).toBe(decider.kind ?? null);
    expect(result.retryable).toBe(decider.retryable ?? false);
    expect(result.throttling).toBe(decider.throttling ?? false);
    const kind = decider.kind ? contract.kinds[decider.kind] : undefined;
    // One name per SDK of the registry, as the contract writes it (Python qualifies by module, Node does not).
    const bindings = kind as unknown as Record<string, { qualified: string }> | undefined;
    expect(result.sdk).toEqual(
      kind ? Object.fromEntries(Object.keys(contract.sdks!).map((id) => [id, bindings![id]!.qualified])) : null,
    );
    if (kind) expect([result.sdk!.python, result.sdk!.node]).toEqual([`openai.${kind.python.class}`, kind.node.class]);
    expect(result.contract_version).toBe(contract.meta.version);
    expect(validateResult(result), JSON.stringify(validateResult.errors)).toBe(true);
  });
});
