// Every SDK of the registry (spec/sdks.yaml) names real classes: its ecosystem's checker (test/sdk/ecosystems/)
// looks every bound class or type up in the pinned release (Node and Python: the installed packages, by import and
// by the class each HTTP status raises; Go and Java: a program naming every bound type compiled against the pinned
// module). A new SDK of a covered ecosystem is checked with no change here. Outside CI a machine without an
// ecosystem's toolchain skips it; in CI a missing toolchain is a failure.
import { describe, expect, it } from 'vitest';
import type { Kind } from '../../generated/types.js';
import { publishedContract } from '../../src/contract.js';
import { classesOf, type KindClass } from '../../src/sdks.js';
import { ECOSYSTEMS, ecosystem, registrySdks } from './toolchains.mjs';

interface Binding {
  class: string;
  module: string;
  exact: boolean;
  qualified?: string;
}
type BoundClass = KindClass<Binding> & { kindId: string; kind: Kind };

const contract = publishedContract();
const sdks = registrySdks(contract) as {
  id: string;
  label: string;
  package: { ecosystem: string; name: string; version: string };
}[];
const inCi = process.env.CI === 'true';

/** Every kind's class in one SDK, one per distinct name and HTTP status (many kinds share a class). */
function boundClasses(sdk: string): BoundClass[] {
  const seen = new Map<string, BoundClass>();
  for (const [kindId, kind] of Object.entries(contract.kinds)) {
    for (const c of classesOf<Binding>(contract, kind)) {
      const key = JSON.stringify([c.qualified, kind.http_status]);
      if (c.sdk === sdk && !seen.has(key)) seen.set(key, { ...c, kindId, kind });
    }
  }
  return [...seen.values()];
}

describe('the registry', () => {
  it('names SDKs of ecosystems with a checker only', () => {
    expect(sdks.length).toBeGreaterThan(0);
    for (const sdk of sdks) expect(ECOSYSTEMS, `${sdk.id}: ${sdk.package.ecosystem}`).toContain(sdk.package.ecosystem);
  });
});

describe.each(sdks)('$label SDK ($package.name, $package.ecosystem)', (sdk) => {
  it(`every bound class exists in ${sdk.package.name} ${sdk.package.version}, the pinned release`, async () => {
    const checker = await ecosystem(sdk.package.ecosystem);
    if (!checker.available() && !inCi) return; // no toolchain on this machine (CI has every one)
    expect(checker.available(), `the ${sdk.package.ecosystem} toolchain (${checker.installedBy})`).toBe(true);
    const classes = boundClasses(sdk.id);
    expect(classes.length).toBeGreaterThan(0);
    expect(await checker.check(sdk, classes)).toEqual([]);
    // The check can fail: a misspelt name is found.
    const [first, ...rest] = classes;
    const misspelt = { ...first!, binding: { ...first!.binding, class: `${first!.binding.class}Misspelt` } };
    misspelt.qualified = first!.qualified.replace(first!.binding.class, misspelt.binding.class);
    expect((await checker.check(sdk, [misspelt, ...rest])).length).toBeGreaterThan(0);
  }, 900_000); // two compiles of a large module, on a busy machine
});
