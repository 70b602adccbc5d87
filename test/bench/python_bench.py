"""npm run bench, Python: error_contract.classify() against a hand-written dict lookup over the same inputs, in this
one process (goal: within 2x). Prints one JSON line: the rates and the median ratio of adjacent measurements."""

from __future__ import annotations

import json
import os
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "src", "python"))
import error_contract  # noqa: E402

classify = error_contract.classify
contract = error_contract.load()
codes = [e["value"] for e in contract.data["entries"] if e["field"] == "response.error.code" and e["value"] != "*"]

# The inputs of the Node benchmark (test/bench/run.mjs): Responses, HTTP errors, a stream delta.
inputs = []
for code in codes:
    inputs.append({"object": "response", "id": "resp_1", "status": "failed", "background": True, "error": {"code": code, "message": "m"}, "incomplete_details": None, "output": []})
for status in ["queued", "in_progress", "completed", "cancelled"]:
    inputs.append({"object": "response", "id": "resp_2", "status": status, "background": True, "error": None, "output": []})
for reason in ["max_output_tokens", "content_filter"]:
    inputs.append({"object": "response", "status": "incomplete", "error": None, "incomplete_details": {"reason": reason}})
for status in [400, 401, 403, 404, 409, 422, 429, 500, 503]:
    inputs.append({"http_status": status, "headers": {"content-type": "application/json"}, "body": {"error": {"message": "m", "type": "t", "param": None, "code": None}}})
inputs.append({"http_status": 429, "body": {"error": {"message": "m", "type": "insufficient_quota", "param": None, "code": "insufficient_quota"}}})
inputs.append({"type": "response.output_text.delta", "delta": "hi", "sequence_number": 4})

# What a careful user writes by hand for these shapes: dicts of prebuilt results, the cheapest code giving the same
# answers on these inputs.
error_code = {o["error"]["code"]: classify(o) for o in inputs if o.get("status") == "failed"}
by_status = {o["http_status"]: classify(o) for o in inputs if "http_status" in o and o["body"]["error"]["code"] is None}
quota = classify(inputs[-2])
by_response_status = {o["status"]: classify(o) for o in inputs if o.get("object") == "response" and o["status"] in ("queued", "in_progress", "completed", "cancelled")}
incomplete = {o["incomplete_details"]["reason"]: classify(o) for o in inputs if o.get("status") == "incomplete"}
delta = classify(inputs[-1])


def hand_written(o: dict) -> dict:
    status = o.get("http_status")
    if status is not None:
        if status == 429 and o["body"]["error"]["code"] == "insufficient_quota":
            return quota
        return by_status[status]
    if o.get("object") == "response":
        s = o["status"]
        if s == "failed":
            return error_code[o["error"]["code"]]
        if s == "incomplete":
            return incomplete[o["incomplete_details"]["reason"]]
        return by_response_status[s]
    return delta


for o in inputs:
    assert hand_written(o) == classify(o), o


def rate(fn, iterations: int) -> float:
    n = len(inputs)
    data = [inputs[i % n] for i in range(iterations)]
    start = time.perf_counter()
    for o in data:
        fn(o)
    return iterations / (time.perf_counter() - start)


def median(xs: list) -> float:
    return sorted(xs)[len(xs) // 2]


rate(hand_written, 50_000)
rate(classify, 50_000)
hands, classifies, ratios = [], [], []
for _ in range(15):
    h = rate(hand_written, 100_000)
    c = rate(classify, 100_000)
    hands.append(h)
    classifies.append(c)
    ratios.append(h / c)
print(json.dumps({"classify": median(classifies), "hand_written": median(hands), "ratio": median(ratios)}))
