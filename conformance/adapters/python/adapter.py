"""The Python reference adapter: conformance/PROTOCOL.md on stdin/stdout, answered by the error_contract package.

Run it with the virtualenv's python (classification imports nothing outside the standard library):

    error-contract conformance --adapter ".venv/bin/python conformance/adapters/python/adapter.py"

It imports the package from this repository's src/python (a clone, or the npm package), else the installed one
(pip install error-contract). Options: --contract PATH (default: generated/contract.json next to this adapter,
else the package's bundled contract.json).

A line nested more than MAX_DEPTH (10,000) arrays and objects deep is answered {"seq": N, "error": "cannot parse:
nested more than 10000 levels deep"}: the case errors, and the adapter goes on.
"""

from __future__ import annotations

import json
import json.scanner
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SOURCE = os.path.join(ROOT, "src", "python")
if os.path.isfile(os.path.join(SOURCE, "error_contract", "__init__.py")):
    sys.path.insert(0, SOURCE)
import error_contract  # noqa: E402
from error_contract import Contract  # noqa: E402

PROTOCOL = 1
# Deep observations are data, not a threat: the runner's robustness vectors nest thousands of levels. The C scanner
# recurses once per level, on the C stack, and stops at the recursion limit with a RecursionError (answered as an
# error for the line's seq). So the limit is a depth the C stack surely holds: 200,000 let a line nested 100,000
# deep overflow it (a segfault). Lines nested deeper than MAX_DEPTH are answered {"seq": N, "error": ...}.
MAX_DEPTH = 10_000
sys.setrecursionlimit(max(sys.getrecursionlimit(), MAX_DEPTH + 100))
SEQ_PREFIX = re.compile(r'^\{"cmd":"classify","seq":(\d+),')


def default_contract_path() -> str:
    beside = os.path.join(ROOT, "generated", "contract.json")
    return beside if os.path.isfile(beside) else error_contract.CONTRACT_PATH


def implementation(contract: Contract) -> dict:
    return {
        "name": "error-contract-python",
        "version": contract.version,
        "language": "python",
        "homepage": "src/python (the error-contract package on PyPI)",
    }


class ProtocolViolation(Exception):
    pass


_compact: dict = {}


def compared_fields() -> tuple:
    """The fields a vector's `expected` has (schemas/vector.schema.json): the ones the runner compares."""
    try:
        with open(os.path.join(ROOT, "schemas", "vector.schema.json"), encoding="utf-8") as f:
            return tuple(json.load(f)["$defs"]["expected"]["required"])
    except OSError:
        # Outside the repository: the fields of result.schema.json the runner compares.
        return ("outcome", "kind", "retryable", "throttling", "http_status", "entry", "retry_after_ms", "action")


COMPARED = compared_fields()


def result_text(result) -> str:
    """The fields the runner compares, serialised once per (shared) result: sdk and contract_version would only cost bytes.

    Keyed by id() and holding the result itself: a result made for one observation (one that carries a delay hint) is
    not shared, and its id may be reused once it is gone, so a cached text counts only for the very same object.
    """
    cached = _compact.get(id(result))
    if cached is not None and cached[0] is result:
        return cached[1]
    text = json.dumps({k: result[k] for k in COMPARED}, separators=(",", ":"))
    if cached is None and len(_compact) < 65536:
        _compact[id(result)] = (result, text)
    return text


# json.loads without its per-call overhead (encoding detection, wrappers): the C scanner, then a check that
# nothing but whitespace follows the value, which is what json.loads checks too.
_scan = json.scanner.make_scanner(json.JSONDecoder())
_WHITESPACE = " \t\r"


def parse(line: str):
    try:
        value, end = _scan(line, 0)
    except StopIteration as error:
        raise ValueError(f"Expecting value: column {error.value + 1}") from None
    if end != len(line) and line[end:].strip(_WHITESPACE):
        raise ValueError(f"Extra data: column {end + 1}")
    return value


def answer(contract: Contract, line: str, state: dict) -> str:
    try:
        message = parse(line)
    except RecursionError:
        seq = SEQ_PREFIX.match(line)
        if seq:
            return json.dumps({"seq": int(seq.group(1)), "error": f"cannot parse: nested more than {MAX_DEPTH} levels deep"}) + "\n"
        raise ProtocolViolation(f"a line nests more than {MAX_DEPTH} levels deep")
    except ValueError as error:
        # The runner writes seq before the observation, so a line that does not parse can still be answered.
        seq = SEQ_PREFIX.match(line)
        if seq:
            return json.dumps({"seq": int(seq.group(1)), "error": f"cannot parse: {error}"}) + "\n"
        raise ProtocolViolation(f"a line is not JSON: {error}")
    if type(message) is not dict:
        raise ProtocolViolation("a line is not a command object")
    cmd = message.get("cmd")
    if cmd == "classify":
        seq = message.get("seq")
        if type(seq) is not int:
            raise ProtocolViolation("classify without an integer seq")
        try:
            result = state.get("contract", contract).classify(message.get("observation"))
        except Exception as error:  # a bug in the implementation fails this case, not the whole run
            return json.dumps({"seq": seq, "error": f"{type(error).__name__}: {error}"}) + "\n"
        return '{"seq":%d,"result":%s}\n' % (seq, result_text(result))
    if cmd == "start":
        if message.get("protocol") != PROTOCOL:
            return json.dumps({"ok": False, "error": f"unsupported protocol {message.get('protocol')!r} (this adapter speaks {PROTOCOL})"}) + "\n"
        # The runner names the profile to classify under (default when absent).
        profile = message.get("profile", "default")
        if profile != "default":
            try:
                state["contract"] = Contract(contract.data, profile=profile)
            except (ValueError, TypeError) as error:
                return json.dumps({"ok": False, "error": str(error)}) + "\n"
        return json.dumps({"ok": True, "implementation": implementation(contract)}) + "\n"
    if cmd == "stop":
        state["stopped"] = True
        return ""
    raise ProtocolViolation(f"unknown command {cmd!r}")


def serve(contract: Contract) -> int:
    stdin = sys.stdin.fileno()
    out = sys.stdout.buffer
    state = {"stopped": False}
    pending = b""
    while not state["stopped"]:
        chunk = os.read(stdin, 1 << 16)
        if not chunk:
            break
        data = pending + chunk
        # Decode whole lines only: a chunk may end inside a multi-byte character.
        cut = data.rfind(b"\n") + 1
        pending = data[cut:]
        lines = data[:cut].decode("utf-8").split("\n")
        lines.pop()
        parts = []
        for line in lines:
            if line.strip():
                parts.append(answer(contract, line, state))
                if state["stopped"]:
                    break
        if parts:
            # One write per chunk read: the runner pipelines, so answers go out in large batches.
            out.write("".join(parts).encode("utf-8"))
            out.flush()
    if not state["stopped"] and pending.strip():
        out.write(answer(contract, pending.decode("utf-8"), state).encode("utf-8"))
        out.flush()
    return 0


def main(argv: list) -> int:
    path = default_contract_path()
    if len(argv) == 2 and argv[0] == "--contract":
        path = argv[1]
    elif argv:
        sys.stderr.write("usage: adapter.py [--contract PATH]\n")
        return 2
    contract = Contract.load(path)
    try:
        return serve(contract)
    except ProtocolViolation as error:
        sys.stderr.write(f"adapter.py: {error}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
