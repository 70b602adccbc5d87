// openai-node (npm): the installed package (node_modules, from npm ci) is the pinned release, every bound class is
// an error class it exports, and the HTTP kinds are the classes APIError.generate builds for their status.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, statusOfKind } from './common.mjs';

export const installedBy = 'npm ci';

export const available = () => true;

/** The exact class name of a kind id: rate_limit_error -> RateLimitError, api_error -> APIError. */
const exactName = (kindId) =>
  kindId
    .split('_')
    .map((w) => (w === 'api' ? 'API' : w[0].toUpperCase() + w.slice(1)))
    .join('');

export async function check(sdk, classes) {
  const problems = [];
  const manifest = join(packageRoot, 'node_modules', ...sdk.package.name.split('/'), 'package.json');
  const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
  if (installed !== sdk.package.version)
    problems.push(`installed ${installed}, the registry pins ${sdk.package.version}`);
  const root = await import(sdk.package.name);
  for (const c of classes) {
    const cls = (await import(c.binding.module))[c.binding.class];
    if (typeof cls !== 'function' || !(cls.prototype instanceof root.OpenAIError)) {
      problems.push(`${c.binding.module} exports no error class ${c.binding.class} (${c.kindId})`);
      continue;
    }
    // A binding marked inexact names another class because the SDK lacks the exact one.
    if (!c.binding.exact && root[exactName(c.kindId)] !== undefined)
      problems.push(`${sdk.package.name} exports ${exactName(c.kindId)}: the binding of ${c.kindId} should be exact`);
    const status = statusOfKind(c.kind);
    if (status !== undefined) {
      const made = root.APIError.generate(status, { error: {} }, 'm', new Headers()).constructor.name;
      if (made !== c.binding.class)
        problems.push(`status ${status} raises ${made}, not ${c.binding.class} (${c.kindId})`);
    }
  }
  return problems;
}
