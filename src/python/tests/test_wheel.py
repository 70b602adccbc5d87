"""The wheel as users install it: built from src/python with the pinned build backend, installed into a fresh
virtualenv (no network: --no-index, openai taken from the project's .venv), imported from there (never from the source
tree), and the README's Python examples, sync and async, run against the emulator."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import ROOT, Emulator

PACKAGE = Path(ROOT) / "src" / "python"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # The build backend pinned in requirements-dev.txt, already in this interpreter's environment: nothing is fetched.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-build-isolation", "--no-deps", "--no-index", "-w", str(out), str(PACKAGE)], check=True, capture_output=True, text=True)
    wheels = list(out.glob("error_contract-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    home = tmp_path_factory.mktemp("venv") / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
    python = home / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index", "--no-deps", str(wheel)], check=True, capture_output=True, text=True)
    # openai and its dependencies, as `pip install openai` would put them: the pinned ones of the project's .venv,
    # appended to the path after the fresh venv's own site-packages (which has error_contract, the .venv has not).
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "project-openai.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return home


def test_the_wheel_holds_the_package_its_data_and_its_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        text = z.read(metadata).decode()
        bundled = json.loads(z.read("error_contract/contract.json"))
    for name in ["error_contract/__init__.py", "error_contract/_classify.py", "error_contract/_openai.py", "error_contract/_wait.py", "error_contract/py.typed", "error_contract/contract.json"]:
        assert name in names, name
    assert not [n for n in names if "tests/" in n or n.endswith(".pyc")]
    assert "Name: error-contract" in text
    assert re.search(r"^Requires-Dist: openai.*extra == .openai.", text, re.M)
    assert not [line for line in text.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    with open(os.path.join(ROOT, "generated", "contract.json"), encoding="utf-8") as f:
        assert bundled == json.load(f)


def run(venv: Path, code: str, env: Dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, env={**clean, **env}, cwd=str(cwd), timeout=120)


def test_imported_from_the_fresh_venv_not_the_source_tree(venv: Path, tmp_path: Path) -> None:
    code = "import error_contract, json; print(json.dumps([error_contract.__file__, error_contract.classify({'object': 'response', 'status': 'failed', 'error': {'code': 'rate_limit_exceeded'}})['kind']]))"
    r = run(venv, code, {}, tmp_path)
    assert r.returncode == 0, r.stderr
    path, kind = json.loads(r.stdout)
    assert path.startswith(str(venv)) and "site-packages" in path
    assert kind == "rate_limit_error"


def readme_examples() -> List[str]:
    text = (Path(ROOT) / "README.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Python\n") :]
    section = section[: section.index("\n## ", 1)]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    return [b for b in blocks if "create_and_wait" in b and "except openai.RateLimitError" in b]


# The emulator is scripted by a Response's metadata; the README's examples carry none, so the create is given it.
SCRIPTED = """
import openai.resources.responses as _r
_SCRIPT = {"scenario": "error.code/rate_limit_exceeded", "polls": "1"}
_create, _acreate = _r.Responses.create, _r.AsyncResponses.create
def _scripted(self, *args, **kwargs):
    return _create(self, *args, metadata=_SCRIPT, **kwargs)
async def _ascripted(self, *args, **kwargs):
    return await _acreate(self, *args, metadata=_SCRIPT, **kwargs)
_r.Responses.create = _scripted
_r.AsyncResponses.create = _ascripted
"""


def test_the_readme_has_a_sync_and_an_async_example() -> None:
    examples = readme_examples()
    assert len(examples) == 2
    assert any("AsyncOpenAI" in e for e in examples) and any("AsyncOpenAI" not in e for e in examples)


@pytest.mark.parametrize("which", ["sync", "async"])
def test_the_readme_example_catches_rate_limit_error_with_the_apis_message_and_code(venv: Path, tmp_path: Path, emulator: Emulator, which: str) -> None:
    example = next(e for e in readme_examples() if ("AsyncOpenAI" in e) == (which == "async"))
    r = run(venv, SCRIPTED + example, {"OPENAI_BASE_URL": emulator.url, "OPENAI_API_KEY": "sk-test"}, tmp_path)
    assert r.returncode == 0, r.stderr
    # The README's example prints what it caught: the API's code and message, and every attempt.
    assert "rate_limit_exceeded" in r.stdout, r.stdout
    assert "A rate limit was hit while the Response was being generated." in r.stdout, r.stdout
    assert "3 attempts" in r.stdout, r.stdout
