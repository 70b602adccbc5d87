import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

// EC_OPENAI_FROM names a project folder (test/runtimes) whose node_modules holds another openai major: every import
// of `openai` or `openai/...` by the tests and the sources resolves from there instead of from the root.
const from = process.env.EC_OPENAI_FROM;
const openaiFrom = (dir: string): Plugin => ({
  name: 'openai-from',
  enforce: 'pre',
  async resolveId(id, _importer, options) {
    if (id !== 'openai' && !id.startsWith('openai/')) return null;
    return this.resolve(id, join(dir, 'package.json'), { ...options, skipSelf: true });
  },
});

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: from ? [openaiFrom(from)] : [],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep parallelism modest so that servers and child processes in tests are not starved.
    maxWorkers: 2,
    // EC_VITEST_JSON names a file for a JSON report beside the default one (CI reads its counts).
    ...(process.env.EC_VITEST_JSON
      ? { reporters: ['default', 'json'], outputFile: { json: process.env.EC_VITEST_JSON } }
      : {}),
  },
});
