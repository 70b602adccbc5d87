"""create_and_wait() against the emulator, sync and async: re-creates only what the contract says is retryable,
backs off longer for throttling, keeps every attempt's Response on the final error; the batch, fine-tuning and
vector-store file helpers against the real client on a scripted transport."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Tuple

import openai
import openai._exceptions as sdk_exceptions
import pytest

from error_contract import Retry, WaitTimeoutError, create_and_wait, is_contract_error, wait_for_batch, wait_for_fine_tuning_job, wait_for_vector_store_file
from conftest import FAST, MODEL, Emulator

httpx = getattr(sdk_exceptions, "httpx2", None) or getattr(sdk_exceptions, "httpx")


def run(mode: str, emulator: Emulator, client_options: Dict[str, Any] = {}, **kwargs: Any) -> Any:
    if mode == "sync":
        return create_and_wait(emulator.client(**client_options), **kwargs)
    return asyncio.run(create_and_wait(emulator.async_client(**client_options), **kwargs))


MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
def test_creates_in_background_and_returns_the_completed_response(emulator: Emulator, mode: str) -> None:
    done = run(mode, emulator, model=MODEL, input="hello", metadata={"polls": "2"}, **FAST)
    assert done.status == "completed" and done.background is True and "hello" in done.output_text


@pytest.mark.parametrize("mode", MODES)
def test_re_creates_a_retryable_failure_until_it_succeeds(emulator: Emulator, mode: str) -> None:
    retries: List[Tuple[int, str]] = []
    metadata = {"scenario": "error.code/server_error", "times": "2", "run": f"succeeds-third-{mode}"}
    done = run(mode, emulator, model=MODEL, input="x", metadata=metadata, retry=Retry(max_attempts=3, delay=0.001), on_retry=lambda e, i: retries.append((i.attempt, type(e).__name__)), **FAST)
    assert done.status == "completed"
    assert retries == [(1, "InternalServerError"), (2, "InternalServerError")]
    posts = [e for e in emulator.log() if e["method"] == "POST" and e["path"] == "/v1/responses" and e.get("scenario") == metadata["scenario"] and e["status"] == 200]
    assert len(posts) >= 3


@pytest.mark.parametrize("mode", MODES)
def test_never_re_creates_a_failure_the_contract_says_is_not_retryable(emulator: Emulator, mode: str) -> None:
    before = len(emulator.log())
    with pytest.raises(openai.BadRequestError) as caught:
        run(mode, emulator, model=MODEL, input="x", metadata={"scenario": "error.code/invalid_prompt", "run": f"never-{mode}"}, retry={"max_attempts": 5, "delay": 0.001}, **FAST)
    assert caught.value.contract["retryable"] is False
    assert len(caught.value.attempts) == 1
    assert len([e for e in emulator.log()[before:] if e["method"] == "POST"]) == 1


@pytest.mark.parametrize("mode", MODES)
def test_gives_up_after_max_attempts_every_attempts_response_is_on_the_error(emulator: Emulator, mode: str) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        run(mode, emulator, model=MODEL, input="x", metadata={"scenario": "error.code/rate_limit_exceeded", "run": f"gives-up-{mode}"}, retry=Retry(max_attempts=3, delay=0.001), **FAST)
    attempts = caught.value.attempts
    assert [a.status for a in attempts] == ["failed"] * 3
    assert len({a.id for a in attempts}) == 3
    assert caught.value.response is attempts[2]
    assert caught.value.code == "rate_limit_exceeded"


def test_backs_off_longer_for_throttling_the_emulator_saw_the_delay(emulator: Emulator) -> None:
    def attempt(scenario: str) -> Tuple[List[float], List[Any]]:
        delays: List[float] = []
        with pytest.raises(openai.APIError) as caught:
            create_and_wait(emulator.client(), model=MODEL, metadata={"scenario": scenario}, retry=Retry(max_attempts=3, delay=0.008, throttling_multiplier=4), on_retry=lambda _e, i: delays.append(i.delay), **FAST)
        return delays, caught.value.attempts

    throttled, attempts = attempt("error.code/rate_limit_exceeded")
    other, _ = attempt("error.code/server_error")
    # Exponential (8, then 16 ms) with up to 25% jitter; four times that for throttling.
    assert 0.006 <= other[0] <= 0.008 and 0.012 <= other[1] <= 0.016
    assert throttled[0] >= 0.024 and throttled[1] >= 0.048
    log = emulator.log()
    for i in range(2):
        failed_poll = [e for e in log if e["method"] == "GET" and e.get("response_id") == attempts[i].id][-1]
        next_create = next(e for e in log if e["method"] == "POST" and e.get("response_id") == attempts[i + 1].id)
        assert next_create["at_ms"] - failed_poll["at_ms"] >= throttled[i] * 1000 - 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("hint,expected", [("retry-after-ms", 0.15), ("retry-after", 1.0), ("http-date", 1.0), ("both", 0.15)])
def test_waits_the_servers_delay_before_re_creating(emulator: Emulator, mode: str, hint: str, expected: float) -> None:
    delays: List[Tuple[float, Any]] = []
    metadata = {"scenario": "error.code/rate_limit_exceeded", "retry_after_ms": "150", "retry_hint": hint, "times": "1", "run": f"hint-{hint}-{mode}"}
    done = run(mode, emulator, model=MODEL, metadata=metadata, retry=Retry(max_attempts=2, delay=30), on_retry=lambda e, i: delays.append((i.delay, e.contract["retry_after_ms"])), **FAST)
    assert done.status == "completed"
    assert delays == [(expected, round(expected * 1000))]
    log = emulator.log()
    failed_poll = [e for e in log if e["method"] == "GET" and e.get("scenario") == metadata["scenario"] and e.get("sent")][-1]
    next_create = next(e for e in log if e["method"] == "POST" and e["at_ms"] > failed_poll["at_ms"])
    assert next_create["at_ms"] - failed_poll["at_ms"] >= expected * 1000 - 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("metadata,action", [
    ({"scenario": "error.code/rate_limit_exceeded", "retry_after_ms": "600000"}, "wait_and_resubmit_later"),
    ({"scenario": "error.code/token_limit_exceeded"}, "wait_and_resubmit_later"),
    ({"scenario": "error.code/insufficient_quota"}, "add_credit"),
])
def test_stops_when_the_action_says_retrying_within_the_run_cannot_help(emulator: Emulator, mode: str, metadata: Dict[str, str], action: str) -> None:
    before = len(emulator.log())
    with pytest.raises(openai.RateLimitError) as caught:
        run(mode, emulator, model=MODEL, metadata={**metadata, "run": f"stops-{action}-{mode}"}, retry=Retry(max_attempts=5, delay=0.001), **FAST)
    assert caught.value.contract["action"] == action
    assert len(caught.value.attempts) == 1
    assert len([e for e in emulator.log()[before:] if e["method"] == "POST"]) == 1


@pytest.mark.parametrize("mode", MODES)
def test_one_deadline_covers_every_attempt_and_the_delays_between_them(emulator: Emulator, mode: str) -> None:
    with pytest.raises(WaitTimeoutError) as caught:
        run(mode, emulator, model=MODEL, metadata={"scenario": "error.code/server_error"}, timeout=1, retry=Retry(max_attempts=10, delay=10), **FAST)
    assert len(caught.value.attempts) == 1
    assert caught.value.response.status == "failed"


@pytest.mark.parametrize("mode", MODES)
def test_an_http_error_of_the_create_itself_is_the_clients_to_retry(emulator: Emulator, mode: str) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        run(mode, emulator, {"api_key": "sk-wrong"}, model=MODEL, retry=Retry(max_attempts=3), **FAST)
    assert not is_contract_error(caught.value)
    assert caught.value.attempts == []


@pytest.mark.parametrize("retry", [{"max_attempts": 0}, {"max_attempts": 1.5}, {"max_attempts": 101}, {"delay": -1}, {"throttling_multiplier": 0.5}])
def test_refuses_bad_options_before_any_request(emulator: Emulator, retry: Dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        create_and_wait(emulator.client(), model=MODEL, retry=retry)
    with pytest.raises(TypeError):
        create_and_wait(emulator.client(), model=MODEL, stream=True)


# -- batches, fine-tuning jobs, vector-store files: the real client over a scripted transport ----------------------

def scripted(states: List[Dict[str, Any]], seen: List[str]) -> Any:
    """A transport answering each GET with the next state (the last one repeats), recording the paths asked."""
    def handler(request: Any) -> Any:
        seen.append(f"{request.method} {request.url.path}")
        state = states[min(len(seen) - 1, len(states) - 1)]
        return httpx.Response(200, headers={"x-request-id": f"req_{len(seen)}"}, content=json.dumps(state).encode())

    return handler


def clients(handler: Any) -> Tuple[openai.OpenAI, openai.AsyncOpenAI]:
    sync = openai.OpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1", max_retries=0, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    async_ = openai.AsyncOpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1", max_retries=0, http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    return sync, async_


BATCH = {"id": "batch_1", "object": "batch", "endpoint": "/v1/responses", "input_file_id": "file_1", "completion_window": "24h", "created_at": 1, "request_counts": {"total": 2, "completed": 0, "failed": 0}}
JOB = {"id": "ftjob_1", "object": "fine_tuning.job", "created_at": 1, "model": "m", "organization_id": "org", "result_files": [], "seed": 1, "training_file": "file_1", "hyperparameters": {}, "error": None, "fine_tuned_model": None, "finished_at": None, "trained_tokens": None, "validation_file": None}
VS_FILE = {"id": "file_1", "object": "vector_store.file", "created_at": 1, "usage_bytes": 1, "vector_store_id": "vs_1", "last_error": None}


@pytest.mark.parametrize("mode", MODES)
def test_wait_for_batch_a_partial_failure_raises_a_completed_one_returns(mode: str) -> None:
    seen: List[str] = []
    states = [{**BATCH, "status": "validating"}, {**BATCH, "status": "in_progress"}, {**BATCH, "status": "completed", "request_counts": {"total": 2, "completed": 1, "failed": 1}}]
    sync, async_ = clients(scripted(states, seen))
    with pytest.raises(openai.APIError) as caught:
        wait_for_batch(sync, "batch_1", **FAST) if mode == "sync" else asyncio.run(wait_for_batch(async_, "batch_1", **FAST))
    assert is_contract_error(caught.value) and caught.value.contract["entry"] == "batch.request_counts.failed/>0"
    assert caught.value.response.request_counts.failed == 1
    assert seen == ["GET /v1/batches/batch_1"] * 3
    seen.clear()
    sync, async_ = clients(scripted([{**BATCH, "status": "finalizing"}, {**BATCH, "status": "completed", "request_counts": {"total": 2, "completed": 2, "failed": 0}}], seen))
    done = wait_for_batch(sync, "batch_1", **FAST) if mode == "sync" else asyncio.run(wait_for_batch(async_, "batch_1", **FAST))
    assert done.status == "completed"


@pytest.mark.parametrize("mode", MODES)
def test_wait_for_fine_tuning_job_raises_the_jobs_error(mode: str) -> None:
    seen: List[str] = []
    states = [{**JOB, "status": "running"}, {**JOB, "status": "failed", "error": {"code": "invalid_training_file", "message": "The training file is bad", "param": "training_file"}}]
    sync, async_ = clients(scripted(states, seen))
    with pytest.raises(openai.APIError) as caught:
        wait_for_fine_tuning_job(sync, "ftjob_1", **FAST) if mode == "sync" else asyncio.run(wait_for_fine_tuning_job(async_, "ftjob_1", **FAST))
    error = caught.value
    assert is_contract_error(error)
    assert (error.param, error.code) == ("training_file", "invalid_training_file")
    assert "The training file is bad" in str(error)
    assert str(error.request.url) == "http://127.0.0.1:9/v1/fine_tuning/jobs/ftjob_1"
    assert seen == ["GET /v1/fine_tuning/jobs/ftjob_1"] * 2


@pytest.mark.parametrize("mode", MODES)
def test_wait_for_vector_store_file_raises_the_files_last_error(mode: str) -> None:
    seen: List[str] = []
    states = [{**VS_FILE, "status": "in_progress"}, {**VS_FILE, "status": "failed", "last_error": {"code": "server_error", "message": "Indexing failed"}}]
    sync, async_ = clients(scripted(states, seen))
    with pytest.raises(openai.InternalServerError) as caught:
        wait_for_vector_store_file(sync, "file_1", vector_store_id="vs_1", **FAST) if mode == "sync" else asyncio.run(wait_for_vector_store_file(async_, "file_1", vector_store_id="vs_1", **FAST))
    assert (caught.value.code, caught.value.status_code, caught.value.request_id) == ("server_error", 500, "req_2")
    assert str(caught.value) == "Error code: 500 - Indexing failed"
    assert seen == ["GET /v1/vector_stores/vs_1/files/file_1"] * 2
