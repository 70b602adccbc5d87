// Writes the site: every page rendered first, typedoc's API docs into api/, then the whole directory swapped in at
// once, so a failure leaves the previous site (or none), never half of one.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Application, OptionDefaults, TSConfigReader } from 'typedoc';
import { packageRoot } from '../paths.js';
import { renderSite, type SiteInput } from './render.js';

/** The source module of every entry point the package exports with types (`.`, `./openai`, `./arbitraries`, …). */
function exportedModules(): string[] {
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
  };
  return Object.values(manifest.exports)
    .map((target) => (typeof target === 'object' && target !== null ? (target as { types?: string }).types : undefined))
    .filter((types): types is string => typeof types === 'string' && types.startsWith('./dist/src/'))
    .map((types) => join(packageRoot, types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts')));
}

async function renderApi(out: string): Promise<void> {
  // Options are given here and read from tsconfig.json only: never from the command line of the process.
  const app = await Application.bootstrapWithPlugins(
    {
      entryPoints: exportedModules(),
      tsconfig: join(packageRoot, 'tsconfig.json'),
      readme: 'none',
      name: 'error-contract API',
      skipErrorChecking: true,
      githubPages: false,
      disableSources: true,
      hideGenerator: true,
      // json-schema-to-typescript documents array bounds with these tags in generated/types.ts.
      blockTags: [...OptionDefaults.blockTags, '@minItems', '@maxItems'],
      logLevel: 'Warn',
      navigationLinks: { Entries: '../index.html', 'Decision procedure': '../procedure.html' },
    },
    [new TSConfigReader()],
  );
  const project = await app.convert();
  if (!project) throw new Error('typedoc could not convert the exported modules');
  await app.generateDocs(project, out);
  if (app.logger.hasErrors()) throw new Error('typedoc reported errors');
  localiseIconReferences(out);
}

/**
 * typedoc's pages point their icons at assets/icons.svg#icon-x, which a browser refuses to read from file:// (and
 * says so in the console) until assets/icons.js has inserted the same symbols into the page and rewritten the links.
 * Pointing them at the inserted symbols from the start works from file:// and from a server alike.
 */
function localiseIconReferences(dir: string): void {
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.html')) continue;
    const path = join(dir, name);
    const html = readFileSync(path, 'utf8');
    const fixed = html.replace(/(<use href=")(?:\.\.\/)*assets\/icons\.svg(#icon-)/g, '$1$2');
    if (fixed !== html) writeFileSync(path, fixed);
  }
}

export async function buildSite(input: SiteInput, out: string): Promise<number> {
  const files = renderSite(input);
  const staging = `${out}.tmp-${process.pid}`;
  const old = `${out}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [path, content] of files) {
      const target = join(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    if (input.api) await renderApi(join(staging, 'api'));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(out)) renameSync(out, old);
  renameSync(staging, out);
  rmSync(old, { recursive: true, force: true });
  return files.size;
}
