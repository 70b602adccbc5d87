// What every ecosystem checker of test/sdk/ecosystems/ shares: where the project is, where fetched SDKs are kept,
// and which HTTP status stands for a kind's `http_status` when an SDK is asked which class it raises.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Project-local caches of the SDKs fetched by `npm run setup` (never in the user's own caches). */
export const cacheDir = join(packageRoot, 'test', 'sdk', '.cache');

/** A status the SDK maps to the kind's class: 503 for `>=500`, 402 (no class of its own) for `other`. */
export function statusOfKind(kind) {
  if (kind.http_status === '>=500') return 503;
  if (kind.http_status === 'other') return 402;
  return typeof kind.http_status === 'number' ? kind.http_status : undefined;
}

/** Whether a command runs (a toolchain is installed). */
export const hasTool = (command, args) => spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 }).status === 0;

export function run(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 900_000, ...options });
  if (r.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`,
    );
  return r.stdout;
}
