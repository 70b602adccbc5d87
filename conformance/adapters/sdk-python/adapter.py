"""SDK truth check: openai-python's own synchronous dispatch behind the conformance protocol.

For an HTTP error envelope it builds the response the SDK would have received and asks the SDK itself: the class
`OpenAI._make_status_error` returns and the retry decision of `OpenAI._should_retry`. The class is mapped back to
a contract kind through the kinds' python bindings in generated/contract.json. It implements the `http` group only.
Where the contract deliberately refines the SDK (a 429 with insufficient_quota is not worth retrying),
conformance/baselines/sdk-python.json lists the disagreement and its reason.

A response with a Retry-After (retry-after or retry-after-ms) is skipped: openai-python refuses to retry past 120 s,
reading a date against its own clock, so its answer is a wait policy that depends on the time of day. The contract
keeps `retryable` free of wait policy and puts that decision in `action` (its horizon is the same 120 s; see
retry_policy.sdk_caps in contract.json).

    error-contract conformance --adapter ".venv/bin/python conformance/adapters/sdk-python/adapter.py" \
        --baseline conformance/baselines/sdk-python.json
"""

from __future__ import annotations

import json
import os
import sys

import openai
import openai._exceptions as sdk_exceptions

httpx = getattr(sdk_exceptions, "httpx2", None) or getattr(sdk_exceptions, "httpx")

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "generated", "contract.json"))
# The headers openai-python's _parse_retry_after_header reads.
RETRY_AFTER = ("retry-after", "retry-after-ms")


def kinds_by_class(contract: dict) -> dict:
    """python class -> kind, among the kinds an HTTP status can raise (those with an http_status)."""
    table = {}
    for kind_id, kind in contract["kinds"].items():
        if kind.get("http_status") is not None:
            table.setdefault(kind["python"]["class"], kind_id)
    return table


def sdk_answer(client, kinds: dict, observation) -> dict:
    if type(observation) is not dict or type(observation.get("http_status")) is not int:
        return {"skipped": "not an HTTP envelope"}
    status = observation["http_status"]
    if not (100 <= status <= 599) or 200 <= status < 300:
        return {"skipped": "not an HTTP error status"}
    raw = observation.get("headers")
    if type(raw) is dict and any(type(name) is str and name.lower() in RETRY_AFTER for name in raw):
        return {"skipped": "a Retry-After: openai-python's retry decision is then its wait policy (120 s, by its own clock)"}
    # Every header as a response from the wire would carry it: names differing only in case are the same header,
    # repeated, and httpx joins their values on read (as the node adapter's Headers.append does).
    pairs = []
    raw_headers = observation.get("headers")
    if type(raw_headers) is dict:
        for name, value in raw_headers.items():
            if type(value) is str:  # HTTP carries only strings; the contract ignores the rest too
                try:
                    httpx.Headers([(name, value)])
                    pairs.append((name, value))
                except Exception:  # a name HTTP cannot carry
                    pass
    headers = httpx.Headers(pairs)
    response = httpx.Response(status, headers=headers, request=httpx.Request("GET", "https://api.openai.com/v1/responses"))
    error = client._make_status_error("error", body=observation.get("body"), response=response)
    kind = kinds.get(type(error).__name__)
    if kind is None:
        return {"error": f"the SDK raised {type(error).__name__}, which no HTTP kind of the contract names"}
    return {"result": {"outcome": "failed", "kind": kind, "retryable": bool(client._should_retry(response)), "http_status": status}}


def main() -> int:
    with open(CONTRACT, encoding="utf-8") as f:
        contract = json.load(f)
    kinds = kinds_by_class(contract)
    client = openai.OpenAI(api_key="conformance", base_url="http://127.0.0.1:9/v1")
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        cmd = message.get("cmd")
        if cmd == "start":
            out.write(json.dumps({"ok": True, "implementation": {"name": "openai-python (synchronous dispatch)", "version": openai.__version__, "language": "python"}, "groups": ["http"]}) + "\n")
        elif cmd == "classify":
            try:
                answer = sdk_answer(client, kinds, message.get("observation"))
            except Exception as error:  # the SDK itself failed on this case
                answer = {"error": f"{type(error).__name__}: {error}"}
            out.write(json.dumps({"seq": message["seq"], **answer}) + "\n")
        elif cmd == "stop":
            break
        out.flush()
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
