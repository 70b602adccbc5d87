// classify() on values that are not JSON values (spec/PROCEDURE.md, Guarantees): getters, Proxies, inherited
// properties. It never throws; an exception raised while reading the value gives the invalid result; a value that
// reads like a JSON value (a transparent Proxy) gets that JSON value's result.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupArbitraries } from '../../src/arbitraries/index.js';
import { classify } from '../../src/classify/classify.js';
import { entryExamples } from '../../src/classify/examples.js';
import { publishedContract } from '../../src/contract.js';

const contract = publishedContract();
const invalid = classify(null);
const groups = groupArbitraries({ contract });
const observation = fc.oneof(
  ...Object.values(groups),
  fc.constantFrom(...entryExamples(contract).map((e) => e.observation)),
);

/** Every object in `value` wrapped in a Proxy whose traps call `decide(trap, key)`, which may throw. */
function proxied(value: unknown, decide: (trap: string, key: PropertyKey) => void): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const target = (
    Array.isArray(value)
      ? value.map((v) => proxied(v, decide))
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, proxied(v, decide)]))
  ) as object;
  return new Proxy(target, {
    get(t, key, receiver) {
      decide('get', key);
      return Reflect.get(t, key, receiver);
    },
    has(t, key) {
      decide('has', key);
      return Reflect.has(t, key);
    },
    ownKeys(t) {
      decide('ownKeys', '');
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor(t, key) {
      decide('getOwnPropertyDescriptor', key);
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    getPrototypeOf(t) {
      decide('getPrototypeOf', '');
      return Reflect.getPrototypeOf(t);
    },
  });
}

class Boom extends Error {}

describe('classify() on values that are not JSON', () => {
  it("a transparent Proxy of an observation gets the observation's result", () => {
    fc.assert(
      fc.property(observation, (o) => {
        expect(classify(proxied(o, () => {}))).toBe(classify(o));
      }),
      { numRuns: 500 },
    );
  });

  it("a Proxy whose traps throw anywhere never makes it throw: the result is the observation's, or invalid (property)", () => {
    fc.assert(
      fc.property(
        observation,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (o, seed, rate) => {
          let state = seed;
          let thrown = 0;
          const decide = () => {
            state = (state * 1103515245 + 12345) % 2 ** 31;
            if (state / 2 ** 31 < rate) {
              thrown++;
              throw new Boom('trap');
            }
          };
          const result = classify(proxied(o, decide));
          if (thrown === 0) expect(result).toBe(classify(o));
          else expect([classify(o), invalid]).toContain(result);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a trap or getter that always throws gives the invalid result', () => {
    const failed = { object: 'response', status: 'failed', error: { code: 'rate_limit_exceeded' } };
    expect(
      classify(
        proxied(failed, () => {
          throw new Boom('always');
        }),
      ),
    ).toBe(invalid);
    const getter = {
      object: 'response',
      get status(): string {
        throw new Boom('getter');
      },
    };
    expect(classify(getter)).toBe(invalid);
    const nested = {
      http_status: 429,
      body: {
        get error(): unknown {
          throw new Boom('nested');
        },
      },
    };
    expect(classify(nested)).toBe(invalid);
    const headers = {
      http_status: 500,
      headers: new Proxy(
        {},
        {
          ownKeys() {
            throw new Boom('keys');
          },
        },
      ),
    };
    expect(classify(headers)).toBe(invalid);
    // What is thrown need not be an Error.
    expect(
      classify({
        get object(): string {
          throw 42;
        },
      }),
    ).toBe(invalid);
  });

  it('objects with inherited properties, null prototypes and class instances never make it throw', () => {
    const failed = { object: 'response', status: 'failed', error: { code: 'server_error' } };
    for (const value of [
      Object.create(failed),
      Object.assign(Object.create(null), failed),
      new (class {
        object = 'response';
        status = 'completed';
      })(),
      Object.create(
        new Proxy(
          {},
          {
            get() {
              throw new Boom('proto');
            },
          },
        ),
      ),
    ]) {
      expect(() => classify(value)).not.toThrow();
    }
  });
});
