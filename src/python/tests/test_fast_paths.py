"""classify()'s fast paths against the decision procedure as written (Contract._general): the same result object for
every conformance vector and for deterministic mutations of them (values of other types, subclasses of str, int and
dict, missing keys, deciding headers in any case), under every profile; and the common shapes never reach _general."""

from __future__ import annotations

import collections
import copy
import json
import os
import random
from typing import Any, Iterator, List

import pytest

import error_contract
from error_contract import Contract

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "generated", "vectors"))
CONTRACT = error_contract.load().data
PROFILES = ["default", *CONTRACT["profiles"]]


class Text(str):
    """A str subclass: not a JSON string to the procedure (which reads exactly str)."""


class Number(int):
    """An int subclass (as IntEnum and http.HTTPStatus are)."""


class Unhashable:
    __hash__ = None  # type: ignore[assignment]


class RaisingHash:
    def __hash__(self) -> int:
        raise RuntimeError("no hash")


def observations() -> List[Any]:
    found = []
    for name in sorted(os.listdir(VECTORS)):
        with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
            found.extend(v["observation"] for v in json.load(f)["vectors"])
    return found


def containers(value: Any, depth: int = 0) -> Iterator[Any]:
    """Every dict and list within value, four levels deep at most."""
    if depth > 4:
        return
    if type(value) is dict:
        yield value
        for inner in value.values():
            yield from containers(inner, depth + 1)
    elif type(value) is list:
        yield value
        for inner in value[:3]:
            yield from containers(inner, depth + 1)


def replacements(value: Any) -> List[Any]:
    out: List[Any] = [None, 0, 429, 429.0, 429.5, True, "", "failed", "response", [], {}, [value], Unhashable(), RaisingHash()]
    if type(value) is str:
        out.append(Text(value))
    if type(value) is int:
        out.append(Number(value))
    if type(value) is dict:
        out.append(collections.OrderedDict(value))
    return out


HEADERS = [
    {"X-Should-Retry": "true"},
    {"x-should-retry": "false"},
    {"X-SHOULD-RETRY": "true", "x-should-retry": "true"},
    {"content-type": "application/json", "x-Should-retry": "false"},
    {Text("x-should-retry"): "true"},
    {1: "x", "content-type": "text/plain"},
    {"retry-after": "1"},
    [("x-should-retry", "true")],
    {},
]


def mutations(observation: Any, rng: random.Random, count: int) -> Iterator[Any]:
    for _ in range(count):
        mutated = copy.deepcopy(observation)
        places = list(containers(mutated))
        if not places:
            yield rng.choice(replacements(mutated))
            continue
        place = rng.choice(places)
        if type(place) is dict and place:
            key = rng.choice(sorted(place, key=str))
            if rng.random() < 0.15:
                del place[key]
            else:
                place[key] = rng.choice(replacements(place[key]))
        elif type(place) is list and place:
            index = rng.randrange(len(place))
            place[index] = rng.choice(replacements(place[index]))
        if type(mutated) is dict and "http_status" in mutated and rng.random() < 0.5:
            mutated["headers"] = copy.deepcopy(rng.choice(HEADERS))
        yield mutated


@pytest.mark.parametrize("profile", PROFILES)
def test_every_vector_and_its_mutations_get_the_procedures_own_result(profile: str) -> None:
    contract = error_contract.load(profile)
    rng = random.Random(20261121)
    checked = 0
    for observation in observations():
        for candidate in [observation, *mutations(observation, rng, 6)]:
            expected = contract._general(candidate)
            assert contract.classify(candidate) is expected, candidate
            # Twice: the memoised tables (event types, HTTP statuses, header names) answer as on first sight.
            assert contract.classify(candidate) is expected, candidate
            checked += 1
    assert checked > 10_000


def test_headers_that_decide_are_read_in_any_case_however_many_names_were_seen_before() -> None:
    contract = Contract(CONTRACT)
    envelope = {"http_status": 500, "headers": {"content-type": "application/json"}, "body": {"error": {"code": None}}}
    assert contract.classify(envelope)["retryable"] is True
    for i in range(2000):  # more names than the filter remembers
        contract.classify({**envelope, "headers": {f"x-name-{i}": "1"}})
    for name in ["x-should-retry", "X-Should-Retry", "X-SHOULD-RETRY"]:
        result = contract.classify({**envelope, "headers": {"content-type": "application/json", name: "false"}})
        assert result["retryable"] is False
        assert result is contract._general({**envelope, "headers": {"content-type": "application/json", name: "false"}})


def test_the_common_shapes_are_answered_without_the_general_procedure() -> None:
    class Counting(Contract):
        calls = 0

        def _general(self, observation: Any) -> Any:
            Counting.calls += 1
            return super()._general(observation)

    contract = Counting(CONTRACT)
    codes = [e["value"] for e in CONTRACT["entries"] if e["field"] == "response.error.code" and e["value"] != "*"]
    common: List[Any] = [{"object": "response", "status": "failed", "error": {"code": code, "message": "m"}} for code in codes]
    common += [{"object": "response", "status": s, "error": None, "output": []} for s in ["queued", "in_progress", "completed", "cancelled"]]
    common += [{"object": "response", "status": "completed", "output": [{"type": "message", "status": "completed"}]}]
    common += [{"object": "response", "status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"}}]
    common += [{"object": "batch", "status": "completed", "request_counts": {"failed": 2}}]
    common += [{"type": "response.output_text.delta", "delta": "hi"}, {"type": "response.in_progress", "response": None}]
    common += [{"http_status": s, "headers": {"content-type": "application/json"}, "body": {"error": {"code": None, "type": "t"}}} for s in [400, 404, 429, 500]]
    common += [{"http_status": 429, "body": {"error": {"code": "insufficient_quota", "type": "insufficient_quota"}}}]
    for observation in common:
        Counting.calls = 0
        assert contract.classify(observation) is contract._general(observation)
        Counting.calls -= 1  # the comparison's own call
        contract.classify(observation)
        assert Counting.calls == 0, observation


def test_the_module_classify_and_profiles() -> None:
    response = {"object": "response", "status": "failed", "error": {"type": "guardrail_violation", "message": "x"}}
    for profile in PROFILES:
        contract = error_contract.load(profile)
        assert error_contract.classify(response, profile) is contract.classify(response)
        assert error_contract.classify(response, profile=profile) is contract._general(response)
        # A contract classifies under another profile of its own data as that profile's contract does.
        own = Contract(CONTRACT)
        assert own.classify(response, profile) is own.with_profile(profile)._general(response)
        assert own.classify(response, profile) == contract.classify(response)
    assert error_contract.classify("not an observation")["outcome"] == "invalid"
    own = Contract(CONTRACT)
    assert own.classify(["a list"]) is own.invalid


def test_a_body_hint_beyond_the_third_key_is_read_as_the_procedure_reads_it() -> None:
    # The fast path tests three body-hint keys one by one and any further ones together: a fourth one still sends
    # the envelope to step 6.
    data = copy.deepcopy(CONTRACT)
    data["hints"]["fourth-key"] = dict(data["hints"]["huggingface-estimated-time"], body="wait_seconds", precedence=99)
    contract = Contract(data)
    assert len(contract._hints.body_keys) == 4
    plain = {"http_status": 503, "headers": {"content-type": "application/json"}, "body": {"error": {"message": "m", "code": None}}}
    hinted = copy.deepcopy(plain)
    hinted["body"]["error"]["wait_seconds"] = 2
    for observation in (plain, hinted):
        assert contract.classify(observation) is contract._general(observation)
    assert contract.classify(plain)["retry_after_ms"] is None
    assert contract.classify(hinted)["retry_after_ms"] == 2000
