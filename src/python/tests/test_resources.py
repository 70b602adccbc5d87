"""wait_for_batch, wait_for_fine_tuning_job and wait_for_vector_store_file with the real openai clients (OpenAI and
AsyncOpenAI) against the emulator's /v1/batches, /v1/fine_tuning/jobs and /v1/vector_stores/{id}/files: every
scenario the emulator derives for each resource ends as the contract classifies the object a plain retrieve sees."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, Dict, List

import openai
import pytest

from error_contract import WaitTimeoutError, classify, is_contract_error, wait_for_batch, wait_for_fine_tuning_job, wait_for_vector_store_file
from conftest import FAST, Emulator, contract_json

CONTRACT = contract_json()
VS = "vs_emulated"
_files = itertools.count(1)


def _create_batch(c: Any, script: Dict[str, str]) -> Any:
    return c.batches.create(input_file_id="file-in", endpoint="/v1/responses", completion_window="24h", metadata=script)


def _create_job(c: Any, script: Dict[str, str]) -> Any:
    return c.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-train", metadata=script)


def _create_file(c: Any, script: Dict[str, str]) -> Any:
    return c.vector_stores.files.create(vector_store_id=VS, file_id=f"file-py-{next(_files)}", attributes=script)


# object -> (create, plain retrieve, wait helper call)
RESOURCES: Dict[str, Any] = {
    "batch": (_create_batch, lambda c, i: c.batches.retrieve(i), lambda c, i, **o: wait_for_batch(c, i, **o)),
    "fine_tuning.job": (_create_job, lambda c, i: c.fine_tuning.jobs.retrieve(i), lambda c, i, **o: wait_for_fine_tuning_job(c, i, **o)),
    "vector_store.file": (_create_file, lambda c, i: c.vector_stores.files.retrieve(i, vector_store_id=VS), lambda c, i, **o: wait_for_vector_store_file(c, i, vector_store_id=VS, **o)),
}


def scenarios(emulator: Emulator, obj: str) -> List[Dict[str, Any]]:
    """The scenarios whose course ends in a state of the object (HTTP faults are the SDK's own errors)."""
    listed = emulator.get("/__emulator/scenarios")["resources"][obj]
    return [s for s in listed if not s["id"].startswith("http.") and not s["id"].endswith("@http")]


def is_pending(obj: str, scenario: Dict[str, Any]) -> bool:
    return classify({"object": obj, "status": scenario["final_status"]})["outcome"] == "pending"


def script(obj: str, scenario: Dict[str, Any]) -> Dict[str, str]:
    # A job that ends pending is polled from its final state on, so that the wait and the retrieve see the same state.
    return {"scenario": scenario["id"], "polls": "0" if is_pending(obj, scenario) else "1"}


def options(obj: str, scenario: Dict[str, Any]) -> Dict[str, Any]:
    return {"timeout": 0.2 if is_pending(obj, scenario) else 30.0, **FAST}


def verify(sid: str, value: Any, error: Any, plain: Any) -> str:
    """Checks a wait's answer (value or error) against a plain retrieve of the same object; returns the outcome."""
    result = classify(plain)
    if result["outcome"] == "pending":
        assert isinstance(error, WaitTimeoutError), sid
    elif result["outcome"] == "completed":
        assert error is None, (sid, error)
        assert value.model_dump() == plain.model_dump(), sid
    else:
        assert is_contract_error(error), (sid, error)
        assert error.contract["entry"] == result["entry"], sid
        assert error.contract["retryable"] == result["retryable"], sid
        assert type(error).__name__ == result["sdk"]["python"].split(".")[-1], sid
        assert error.response.model_dump() == plain.model_dump(), sid
        if result["http_status"] is not None:
            assert error.status_code == result["http_status"], sid
            assert error.request_id and error.request_id.startswith("req_"), sid
    return result["outcome"]


def status_outcomes(obj: str) -> set:
    field = next(fid for fid, f in CONTRACT["fields"].items() if f["role"] == "status" and f.get("dispatch", {}).get("object") == obj)
    return {e["outcome"] for e in CONTRACT["entries"] if e["field"] == field and "outcome" in e}


@pytest.mark.parametrize("obj", sorted(RESOURCES))
def test_every_scenario_sync(emulator: Emulator, client: openai.OpenAI, obj: str) -> None:
    create, retrieve, wait = RESOURCES[obj]
    outcomes = set()
    for scenario in scenarios(emulator, obj):
        created = create(client, script(obj, scenario))
        value = error = None
        try:
            value = wait(client, created.id, **options(obj, scenario))
        except Exception as e:  # noqa: BLE001 - verified below
            error = e
        outcomes.add(verify(scenario["id"], value, error, retrieve(client, created.id)))
    assert outcomes == status_outcomes(obj)


@pytest.mark.parametrize("obj", sorted(RESOURCES))
def test_every_scenario_async(emulator: Emulator, obj: str) -> None:
    """The same with AsyncOpenAI, every scenario at once on one event loop."""
    create, retrieve, wait = RESOURCES[obj]

    async def one(client: openai.AsyncOpenAI, scenario: Dict[str, Any]) -> str:
        created = await create(client, script(obj, scenario))
        value = error = None
        try:
            value = await wait(client, created.id, **options(obj, scenario))
        except Exception as e:  # noqa: BLE001 - verified below
            error = e
        return verify(scenario["id"], value, error, await retrieve(client, created.id))

    async def main() -> set:
        async with emulator.async_client() as client:
            return set(await asyncio.gather(*(one(client, s) for s in scenarios(emulator, obj))))

    assert asyncio.run(main()) == status_outcomes(obj)


def test_a_failed_batch_raises_the_class_its_error_code_names(emulator: Emulator) -> None:
    client = emulator.client()
    created = _create_batch(client, {"scenario": "error.code/rate_limit_exceeded", "polls": "2"})
    with pytest.raises(openai.RateLimitError) as caught:
        wait_for_batch(client, created.id, **FAST)
    assert (caught.value.code, caught.value.status_code) == ("rate_limit_exceeded", 429)
    assert str(caught.value.request.url) == f"{emulator.url}/batches/{created.id}"
    assert [e["status"] for e in emulator.requests_of(created.id, "GET")] == [200, 200, 200]


def test_a_partial_failure_raises_and_a_poll_after_header_sets_the_delay(emulator: Emulator) -> None:
    client = emulator.client()
    created = _create_batch(client, {"scenario": "batch.request_counts.failed/>0", "polls": "1", "poll_after_ms": "150"})
    delays: List[Any] = []
    with pytest.raises(openai.APIError) as caught:
        wait_for_batch(client, created.id, on_poll=lambda obj, info: delays.append(info.next_poll), **FAST)
    assert caught.value.contract["entry"] == "batch.request_counts.failed/>0"
    assert caught.value.response.request_counts.failed == 1
    assert delays == [0.15, None]
