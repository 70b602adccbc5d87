// The bump policy is written once (src/diff/rules.ts): the README's table and `diff --help` are derived from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bumpPolicy, bumpPolicyMarkdown, bumpPolicyText } from '../../src/diff/policy.js';
import { ITEM_ADDED, RULES } from '../../src/diff/rules.js';
import { packageRoot } from '../../src/paths.js';

describe('the bump policy', () => {
  it("is the README's table, between its markers", () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const section = /<!-- bump-policy:[^\n]*-->\n([\s\S]*?)\n<!-- \/bump-policy -->/.exec(readme);
    expect(section, 'README.md has the bump-policy markers').not.toBeNull();
    expect(section![1]).toBe(bumpPolicyMarkdown());
  });

  it('names every property rule under its own bump', () => {
    const policy = bumpPolicy();
    for (const [section, rules] of Object.entries(RULES)) {
      for (const rule of rules) {
        if (rule.path.length === 0) continue;
        const path = `\`${rule.path.join('.')}\``;
        expect(
          policy[rule.bump].some((phrase) => phrase.includes(path)),
          `${section} ${path} under ${rule.bump}`,
        ).toBe(true);
      }
    }
    // The default for added items is where the README once went wrong: a profile added is minor.
    expect(ITEM_ADDED.default!.bump).toBe('minor');
    expect(policy.minor[0]).toBe('an entry, kind, field or profile added');
  });

  it("is diff --help's text, wrapped", () => {
    const text = bumpPolicyText();
    expect(text.split('\n').every((line) => line.length <= 116)).toBe(true);
    expect(text).toMatch(/^ {2}major {2}an entry, kind, field or profile removed;/);
    expect(text.replace(/\s+/g, ' ')).toContain(bumpPolicy().patch.join('; ').replace(/`/g, ''));
  });
});
