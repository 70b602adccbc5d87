// openai-python (PyPI): the package installed in .venv (by npm run setup) is the pinned release, every bound class
// is an exception class of the `openai` module, and the HTTP kinds are the classes _make_status_error raises.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, statusOfKind } from './common.mjs';

export const installedBy = 'npm run setup';

const python = join(packageRoot, '.venv', 'bin', 'python');

export const available = () => existsSync(python);

const SCRIPT = `
import json, sys, importlib, openai
# openai 3.x moved to the httpx2 fork; older lines use httpx: take whichever the installed SDK imports.
httpx = getattr(openai._base_client, 'httpx2', None) or importlib.import_module('httpx')
request = json.loads(sys.stdin.read())
client = openai.OpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1")
out = {"version": openai.__version__, "classes": []}
for b in request:
    cls = getattr(importlib.import_module(b["module"]), b["cls"], None)
    made = None
    if isinstance(b["status"], int):
        req = httpx.Request("GET", "http://127.0.0.1:9/v1/x")
        made = type(client._make_status_error("m", body={"error": {}}, response=httpx.Response(b["status"], request=req))).__name__
    out["classes"].append({"exists": isinstance(cls, type) and issubclass(cls, openai.OpenAIError), "made": made})
print(json.dumps(out))
`;

export function check(sdk, classes) {
  const request = classes.map((c) => ({
    module: c.binding.module,
    cls: c.binding.class,
    status: statusOfKind(c.kind) ?? null,
  }));
  const r = spawnSync(python, ['-c', SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return [`python failed: ${r.stderr}`];
  const out = JSON.parse(r.stdout);
  const problems = [];
  if (out.version !== sdk.package.version)
    problems.push(`installed ${out.version}, the registry pins ${sdk.package.version}`);
  classes.forEach((c, i) => {
    const { exists, made } = out.classes[i];
    if (!exists) problems.push(`${c.qualified} is not an exception class of openai (${c.kindId})`);
    else if (made !== null && made !== c.binding.class)
      problems.push(`status ${request[i].status} raises ${made}, not ${c.binding.class} (${c.kindId})`);
  });
  return problems;
}
