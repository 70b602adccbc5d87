"""Fixtures: the project's lifecycle emulator (node dist/src/cli/main.js serve, on 127.0.0.1 with an ephemeral port)
and the real pinned openai clients, sync and async, pointed at it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from typing import Any, Dict, Iterator, List, Optional

import openai
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
CLI = os.path.join(ROOT, "dist", "src", "cli", "main.js")
NODE = os.environ.get("NODE", "node")
MODEL = "emulated-model"
# Polling options that keep waits short (the emulator answers at once).
FAST = {"poll_interval": 0.001, "max_poll_interval": 0.005}


class Emulator:
    def __init__(self, profile: Optional[str] = None) -> None:
        if not os.path.exists(CLI):
            raise RuntimeError(f"{CLI} is missing: run npm run build first (npm test does)")
        args = [NODE, CLI, "serve", "--port", "0", "--token", "sk-test"]
        if profile:
            args += ["--profile", profile]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip() if self.process.stdout else ""
        if not line.startswith("http://127.0.0.1:"):
            self.close()
            raise RuntimeError(f"the emulator did not print its URL: {line!r}")
        self.url = line  # http://127.0.0.1:PORT/v1
        self.root = line[: -len("/v1")]

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.root + path, timeout=30) as r:
            return json.loads(r.read())

    def log(self) -> List[Dict[str, Any]]:
        return self.get("/__emulator/log")["entries"]

    def requests_of(self, response_id: str, method: Optional[str] = None) -> List[Dict[str, Any]]:
        return [e for e in self.log() if e.get("response_id") == response_id and (method is None or e["method"] == method)]

    def scenarios(self) -> List[Dict[str, Any]]:
        return self.get("/__emulator/scenarios")["scenarios"]

    def client(self, **options: Any) -> openai.OpenAI:
        options.setdefault("api_key", "sk-test")
        options.setdefault("max_retries", 0)
        options.setdefault("timeout", 20.0)
        return openai.OpenAI(base_url=self.url, **options)

    def async_client(self, **options: Any) -> openai.AsyncOpenAI:
        options.setdefault("api_key", "sk-test")
        options.setdefault("max_retries", 0)
        options.setdefault("timeout", 20.0)
        return openai.AsyncOpenAI(base_url=self.url, **options)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    server = Emulator()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def client(emulator: Emulator) -> openai.OpenAI:
    return emulator.client()


@pytest.fixture
def async_client(emulator: Emulator) -> openai.AsyncOpenAI:
    return emulator.async_client()


def background(c: openai.OpenAI, **metadata: str) -> Any:
    return c.responses.create(model=MODEL, input="hello", background=True, metadata=metadata)


async def abackground(c: openai.AsyncOpenAI, **metadata: str) -> Any:
    return await c.responses.create(model=MODEL, input="hello", background=True, metadata=metadata)


def contract_json() -> Dict[str, Any]:
    with open(os.path.join(ROOT, "generated", "contract.json"), encoding="utf-8") as f:
        return json.load(f)


sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
