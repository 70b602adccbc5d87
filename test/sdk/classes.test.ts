// Every kind's class names exist in the installed SDKs: openai on npm (node_modules) and on PyPI (.venv).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedContract } from '../../src/contract.js';
import { packageRoot } from '../../src/paths.js';

const contract = publishedContract();
const kinds = Object.entries(contract.kinds);
const python = join(packageRoot, '.venv', 'bin', 'python');

describe('Node SDK (openai on npm)', () => {
  it('is the release the registry (spec/sdks.yaml) pins', () => {
    const installed = JSON.parse(readFileSync(join(packageRoot, 'node_modules', 'openai', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(installed.version).toBe(contract.sdks!.node!.package.version);
  });

  it.each(kinds)('%s', async (_id, kind) => {
    const module = (await import(kind.node.module)) as Record<string, unknown>;
    const cls = module[kind.node.class];
    expect(typeof cls, `${kind.node.module} exports ${kind.node.class}`).toBe('function');
    // Every class is an error class callers can catch as OpenAIError.
    expect((cls as { prototype: unknown }).prototype).toBeInstanceOf(module.OpenAIError as new () => unknown);
  });

  it('bindings marked inexact name a class that is not the exact one (the SDK lacks it)', async () => {
    const module = (await import('openai')) as Record<string, unknown>;
    for (const [id, kind] of kinds) {
      if (kind.node.exact) continue;
      const exactName = id
        .split('_')
        .map((w) => (w === 'api' ? 'API' : w[0]!.toUpperCase() + w.slice(1)))
        .join('');
      expect(module[exactName], `openai exports ${exactName}; binding of ${id} should be exact`).toBeUndefined();
    }
  });

  it('the HTTP kinds are the classes APIError.generate builds for their status', async () => {
    const { APIError } = (await import('openai')) as unknown as {
      APIError: { generate(s: number, b: unknown, m: string, h: Headers): Error };
    };
    for (const [, kind] of kinds) {
      const status = kind.http_status === '>=500' ? 503 : kind.http_status === 'other' ? 402 : kind.http_status;
      if (typeof status !== 'number') continue;
      expect(APIError.generate(status, { error: {} }, 'm', new Headers()).constructor.name).toBe(kind.node.class);
    }
  });
});

describe('Python SDK (openai on PyPI, in .venv)', () => {
  it('the virtualenv exists (npm test creates it)', () => {
    expect(existsSync(python), `${python} missing: run npm run setup`).toBe(true);
  });

  it('is the release the registry (spec/sdks.yaml) pins', () => {
    const r = spawnSync(python, ['-c', 'import openai; print(openai.__version__)'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout.trim()).toBe(contract.sdks!.python!.package.version);
  });

  it('every kind names an existing openai.X exception class; HTTP kinds match _make_status_error', () => {
    const bindings = Object.fromEntries(kinds.map(([id, k]) => [id, { cls: k.python.class, status: k.http_status }]));
    const script = `
import json, sys, importlib, openai
# openai 3.x moved to the httpx2 fork; older lines use httpx: take whichever the installed SDK imports.
httpx = getattr(openai._base_client, 'httpx2', None) or importlib.import_module('httpx')
bindings = json.loads(sys.stdin.read())
client = openai.OpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1")
out = {}
for kind, b in bindings.items():
    cls = getattr(openai, b["cls"], None)
    ok = isinstance(cls, type) and issubclass(cls, openai.OpenAIError)
    made = None
    s = {">=500": 503, "other": 402}.get(b["status"], b["status"])
    if isinstance(s, int):
        req = httpx.Request("GET", "http://127.0.0.1:9/v1/x")
        made = type(client._make_status_error("m", body={"error": {}}, response=httpx.Response(s, request=req))).__name__
    out[kind] = {"exists": ok, "made": made}
print(json.dumps(out))
`;
    const r = spawnSync(python, ['-c', script], { input: JSON.stringify(bindings), encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, { exists: boolean; made: string | null }>;
    for (const [id, kind] of kinds) {
      expect(out[id]!.exists, `openai.${kind.python.class} for ${id}`).toBe(true);
      if (out[id]!.made !== null) expect(out[id]!.made, `status of ${id}`).toBe(kind.python.class);
    }
  });
});
