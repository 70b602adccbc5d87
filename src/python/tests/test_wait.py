"""wait_for_response() with the real openai clients (OpenAI and AsyncOpenAI) against the emulator: every
response-level scenario raises the class the contract names; cancellation, deadlines and the server's timing
headers, asserted from the emulator's request log."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, List, Tuple

import openai
import pytest

import error_contract
from error_contract import MAX_POLL_AFTER_MS, MIN_POLL_AFTER_MS, PollInfo, WaitTimeoutError, classify, is_contract_error, poll_after_ms, raise_for_status, wait_for_response
from conftest import FAST, MODEL, Emulator, abackground, background, contract_json

CONTRACT = contract_json()
ENTRIES = {e["id"]: e for e in CONTRACT["entries"]}


def poll_shows() -> set:
    """The fields a polled Response can show: its status, the reasons and item statuses it consults, their vocabularies."""
    fields = CONTRACT["fields"]
    status = next(fid for fid, f in fields.items() if f.get("dispatch", {}).get("object") == "response")
    shown = {status}
    for e in CONTRACT["entries"]:
        if e["field"] != status:
            continue
        for f in [*e.get("refined_by", []), *([e["partial_failure"]] if "partial_failure" in e else [])]:
            shown.add(f)
            if fields[f].get("shares_values_with"):
                shown.add(fields[f]["shares_values_with"])
    return shown


POLL_SHOWS = poll_shows()


def ending(emulator: Emulator) -> Tuple[List[str], set]:
    """Scenarios whose job ends (HTTP faults are the SDK's own errors, not a Response's), and those ending pending."""
    listing = emulator.scenarios()
    ids = [s["id"] for s in listing if not s["id"].startswith("http.") and not s["id"].endswith("@http")]
    pending = {s["id"] for s in listing if classify({"object": "response", "status": s["final_status"]})["outcome"] == "pending"}
    return ids, pending


def check(scenario: str, outcome: Tuple[Any, Any], plain: Any) -> None:
    value, error = outcome
    entry = ENTRIES[scenario]
    result = classify(plain)
    if "kind" in entry and "delegate" not in entry and entry["field"] in POLL_SHOWS:
        assert result["entry"] == scenario
    if result["outcome"] == "pending":
        assert isinstance(error, WaitTimeoutError), scenario
        assert isinstance(error, openai.APITimeoutError)
        return
    if result["outcome"] == "completed":
        assert error is None, f"{scenario}: {error!r}"
        assert value == plain, scenario
        return
    kind_class = getattr(openai, CONTRACT["kinds"][result["kind"]]["python"]["class"])
    assert isinstance(error, kind_class), f"{scenario}: {error!r}"
    assert is_contract_error(error)
    assert error.response.status == plain.status
    assert error.response.error == plain.error
    assert error.response.incomplete_details == plain.incomplete_details
    assert error.contract["retryable"] == result["retryable"]
    if "retryable" in entry and result["entry"] == scenario:
        assert error.contract["retryable"] == entry["retryable"]
    if isinstance(error, openai.APIStatusError):
        assert error.status_code == result["http_status"]
        assert error.request_id is not None and error.request_id.startswith("req_")
        assert str(error.request.url).endswith(f"/v1/responses/{plain.id}")
        if plain.error is not None and plain.error.message:
            assert str(error) == f"Error code: {error.status_code} - {plain.error.message}"
            assert error.code == plain.error.code


def test_every_response_level_scenario_sync(emulator: Emulator, client: openai.OpenAI) -> None:
    ids, pending = ending(emulator)
    assert len(ids) > 30 and pending
    for scenario in ids:
        created = background(client, scenario=scenario, polls="0" if scenario in pending else "1")
        try:
            outcome: Tuple[Any, Any] = (wait_for_response(client, created.id, timeout=0.1 if scenario in pending else 30, **FAST), None)
        except Exception as error:  # noqa: BLE001
            outcome = (None, error)
        # The gap: a plain retrieve of the same job answers normally, whatever its status.
        check(scenario, outcome, client.responses.retrieve(created.id))


@pytest.mark.asyncio
async def test_every_response_level_scenario_async_concurrently(emulator: Emulator, async_client: openai.AsyncOpenAI) -> None:
    ids, pending = ending(emulator)

    async def one(scenario: str) -> None:
        created = await abackground(async_client, scenario=scenario, polls="0" if scenario in pending else "1")
        waiting = wait_for_response(async_client, created.id, timeout=0.1 if scenario in pending else 30, **FAST)
        assert asyncio.iscoroutine(waiting)
        try:
            outcome: Tuple[Any, Any] = (await waiting, None)
        except Exception as error:  # noqa: BLE001
            outcome = (None, error)
        check(scenario, outcome, await async_client.responses.retrieve(created.id))

    await asyncio.gather(*(one(s) for s in ids))


def test_the_gap_and_raising_on_request(client: openai.OpenAI) -> None:
    created = background(client, scenario="error.code/rate_limit_exceeded")
    failed = client.responses.retrieve(created.id)
    assert failed.status == "failed" and failed.error.code == "rate_limit_exceeded"
    with pytest.raises(openai.RateLimitError) as caught:
        raise_for_status(failed)
    assert caught.value.response is failed
    assert caught.value.code == "rate_limit_exceeded"


def test_a_completed_job_is_returned_its_output_intact(client: openai.OpenAI) -> None:
    created = background(client, polls="3")
    seen: List[str] = []
    done = wait_for_response(client, created.id, on_poll=lambda r, i: seen.append(f"{i.poll}:{r.status}:{i.result['outcome']}"), **FAST)
    assert done.status == "completed" and "hello" in done.output_text
    assert seen == ["1:in_progress:pending", "2:in_progress:pending", "3:in_progress:pending", "4:completed:completed"]


@pytest.mark.asyncio
async def test_async_completed_with_an_async_on_poll(async_client: openai.AsyncOpenAI) -> None:
    created = await abackground(async_client, polls="2")
    seen: List[int] = []

    async def on_poll(response: Any, info: PollInfo) -> None:
        await asyncio.sleep(0)
        seen.append(info.poll)

    done = await wait_for_response(async_client, created.id, on_poll=on_poll, **FAST)
    assert done.status == "completed" and seen == [1, 2, 3]


@pytest.mark.asyncio
async def test_a_cancellation_that_arrives_as_a_poll_completes_still_ends_the_wait() -> None:
    # The race asyncio.wait_for loses before Python 3.12: the poll's answer and the task's cancellation in the same
    # turn of the loop. A wait must end with CancelledError, not go on with the answer.
    from error_contract._wait import _within

    answer: asyncio.Future = asyncio.get_running_loop().create_future()
    task = asyncio.ensure_future(_within(answer, 30))
    await asyncio.sleep(0)
    answer.set_result("polled")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.asyncio
async def test_a_poll_past_its_deadline_is_cancelled_and_times_out() -> None:
    from error_contract._wait import _within

    never: asyncio.Future = asyncio.get_running_loop().create_future()
    with pytest.raises(asyncio.TimeoutError):
        await _within(never, 0.01)
    assert never.cancelled()


@pytest.mark.asyncio
async def test_cancelling_the_task_ends_the_wait_at_once_and_sends_nothing_more(emulator: Emulator, async_client: openai.AsyncOpenAI) -> None:
    created = await abackground(async_client, scenario="response.status/in_progress")
    task = asyncio.ensure_future(wait_for_response(async_client, created.id, poll_interval=0.05, max_poll_interval=0.05))
    # Bounded: the wait polls three times within the deadline, or the test fails saying how the task ended.
    deadline = time.monotonic() + 30
    while len(emulator.requests_of(created.id, "GET")) < 3:
        assert not task.done(), f"the wait ended before its third poll: {task!r}"
        assert time.monotonic() < deadline, "the wait did not poll three times in 30 s"
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 30)
    polls = len(emulator.requests_of(created.id, "GET"))
    await asyncio.sleep(0.2)
    assert len(emulator.requests_of(created.id, "GET")) == polls


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_deadline_ends_the_wait_with_api_timeout_error_carrying_the_last_response(emulator: Emulator, mode: str) -> None:
    c = emulator.client()
    created = background(c, scenario="response.status/queued")
    if mode == "sync":
        fn = lambda: wait_for_response(c, created.id, poll_interval=0.005, timeout=0.5)  # noqa: E731
    else:
        fn = lambda: asyncio.run(wait_for_response(emulator.async_client(), created.id, poll_interval=0.005, timeout=0.5))  # noqa: E731
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as caught:
        fn()
    assert time.monotonic() - started < 5
    error = caught.value
    assert isinstance(error, openai.APITimeoutError)
    assert (error.response.id, error.response.status, error.timeout) == (created.id, "queued", 0.5)
    assert "did not finish within 0.5 s (last status: queued)" in str(error)


def test_the_delay_between_polls_grows_capped(client: openai.OpenAI) -> None:
    created = background(client, scenario="response.status/in_progress")
    delays: List[float] = []

    def on_poll(_r: Any, info: PollInfo) -> None:
        delays.append(info.next_poll)
        if info.poll == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        wait_for_response(client, created.id, poll_interval=0.002, max_poll_interval=0.006, on_poll=on_poll)
    assert delays == pytest.approx([0.002, 0.003, 0.0045, 0.006, 0.006])


@pytest.mark.parametrize("options", [{"timeout": -1}, {"poll_interval": 0}, {"max_poll_interval": float("nan")}, {"timeout": 2**40}, {"timeout": True}])
def test_bad_options_are_refused_before_any_request(emulator: Emulator, options: Dict[str, Any]) -> None:
    before = len(emulator.log())
    with pytest.raises(ValueError):
        wait_for_response(emulator.client(), "resp_x", **options)
    with pytest.raises(TypeError):
        wait_for_response(emulator.client(), "")
    assert len([e for e in emulator.log()[before:] if e["path"].startswith("/v1/")]) == 0


@pytest.mark.asyncio
async def test_async_the_deadline_holds_during_the_sdks_retry_after_sleep(emulator: Emulator) -> None:
    # A 429 on the poll with retry-after-ms 60000: the SDK's own retry sleeps a minute. The deadline cancels it, and
    # the retry is never sent. The deadline leaves the first poll time enough on a loaded machine; the wait ending
    # well before the minute is what shows the sleep was cut.
    c = emulator.async_client(max_retries=2)
    created = await abackground(c, scenario="http.status/429", retry_after_ms="60000", faults="5")
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError):
        await wait_for_response(c, created.id, timeout=5, **FAST)
    assert time.monotonic() - started < 40
    await asyncio.sleep(0.2)
    assert [e["status"] for e in emulator.requests_of(created.id, "GET")] == [429]


@pytest.mark.asyncio
async def test_async_cancelling_during_the_sdks_retry_after_sleep(emulator: Emulator) -> None:
    c = emulator.async_client(max_retries=2)
    created = await abackground(c, scenario="http.status/429", retry_after_ms="60000", faults="5")
    task = asyncio.ensure_future(wait_for_response(c, created.id, **FAST))
    deadline = time.monotonic() + 30
    while not any(e["status"] == 429 for e in emulator.requests_of(created.id, "GET")):
        assert not task.done(), f"the wait ended before its first poll: {task!r}"
        assert time.monotonic() < deadline, "the wait did not poll in 30 s"
        await asyncio.sleep(0.01)
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 30)
    assert time.monotonic() - started < 5
    assert len(emulator.requests_of(created.id, "GET")) == 1


class Hinting:
    """A client whose every poll answers in_progress with the given openai-poll-after-ms header (no server)."""

    def __init__(self, header: str) -> None:
        import openai._exceptions as sdk_exceptions

        httpx = getattr(sdk_exceptions, "httpx2", None) or getattr(sdk_exceptions, "httpx")
        transport = httpx.MockTransport(lambda request: httpx.Response(200, headers={"openai-poll-after-ms": header}, json={"id": "resp_hint", "object": "response", "status": "in_progress", "created_at": 1, "model": "m", "output": [], "parallel_tool_calls": True, "tool_choice": "auto", "tools": []}))
        self.client = openai.OpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1", http_client=httpx.Client(transport=transport), max_retries=0)


def test_poll_after_is_parsed_strictly_and_clamped() -> None:
    def of(value: str) -> Any:
        return poll_after_ms({"openai-poll-after-ms": value})

    assert (MIN_POLL_AFTER_MS, MAX_POLL_AFTER_MS) == (100, 60_000)
    assert of("0") == MIN_POLL_AFTER_MS and of("99") == MIN_POLL_AFTER_MS
    assert of("250") == 250 and of(" 250 ") == 250
    assert of("999999999") == MAX_POLL_AFTER_MS
    # More digits than any delay needs read as the longest delay, then clamped (the contract's max_delay_ms).
    assert of("12345678901234567") == MAX_POLL_AFTER_MS
    for bad in ["0.9", "0x10", "1e9", "-5", "+5", "", "1_000", "Infinity", "12abc", "١٢٣"]:
        assert of(bad) is None, bad
    assert poll_after_ms({}) is None


@pytest.mark.parametrize("header,expected", [("0", [0.1, 0.1, 0.1]), ("0.9", [0.007] * 3), ("0x10", [0.007] * 3), ("1e9", [0.007] * 3), ("86400000", [60.0])])
def test_a_hint_of_0_never_polls_faster_than_the_floor_an_unparsable_one_leaves_the_clients_pace(header: str, expected: List[float]) -> None:
    delays: List[float] = []

    def on_poll(_r: Any, info: PollInfo) -> None:
        delays.append(info.next_poll)
        if len(delays) == len(expected):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        wait_for_response(Hinting(header).client, "resp_hint", poll_interval=0.007, max_poll_interval=0.007, on_poll=on_poll)
    assert delays == pytest.approx(expected)


def gaps(emulator: Emulator, response_id: str) -> List[float]:
    polls = emulator.requests_of(response_id, "GET")
    return [b["at_ms"] - a["at_ms"] for a, b in zip(polls, polls[1:])]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_openai_poll_after_ms_is_honoured_over_the_clients_own_interval(emulator: Emulator, mode: str) -> None:
    c = emulator.client()
    created = background(c, polls="3", poll_after_ms="120")
    hints: List[Any] = []
    on_poll = lambda _r, i: hints.append(i.next_poll)  # noqa: E731
    if mode == "sync":
        wait_for_response(c, created.id, on_poll=on_poll, **FAST)
    else:
        asyncio.run(wait_for_response(emulator.async_client(), created.id, on_poll=on_poll, **FAST))
    assert hints == [0.12, 0.12, 0.12, None]
    assert len(gaps(emulator, created.id)) == 3
    assert all(g >= 119 for g in gaps(emulator, created.id))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_retry_after_of_a_429_on_the_poll_is_honoured_by_the_clients_retry(emulator: Emulator, mode: str) -> None:
    created = background(emulator.client(), scenario="http.status/429", retry_after_ms="700")
    if mode == "sync":
        done = wait_for_response(emulator.client(max_retries=2), created.id, **FAST)
    else:
        done = asyncio.run(wait_for_response(emulator.async_client(max_retries=2), created.id, **FAST))
    assert done.status == "completed"
    polls = emulator.requests_of(created.id, "GET")
    assert [(p["status"], p["retry_count"]) for p in polls] == [(429, 0), (200, 1)]
    assert polls[0]["sent"]["retry-after-ms"] == "700"
    # openai-python's own first backoff is at most 0.5 s: a gap of 700 ms or more is the header's.
    assert polls[1]["at_ms"] - polls[0]["at_ms"] >= 699


def test_a_500_on_the_poll_is_retried_with_x_should_retry_false_it_is_not(emulator: Emulator) -> None:
    retrying = emulator.client(max_retries=2)
    ok = background(retrying, scenario="http.status/>=500", retry_after_ms="5")
    assert wait_for_response(retrying, ok.id, **FAST).status == "completed"
    refused = background(retrying, scenario="http.status/>=500", should_retry="false", faults="5")
    with pytest.raises(openai.InternalServerError) as caught:
        wait_for_response(retrying, refused.id, **FAST)
    assert not is_contract_error(caught.value)
    assert len(emulator.requests_of(refused.id, "GET")) == 1


def test_x_should_retry_true_makes_the_client_retry_even_a_400(emulator: Emulator) -> None:
    created = background(emulator.client(), scenario="http.status/400", should_retry="true", retry_after_ms="5")
    assert wait_for_response(emulator.client(max_retries=1), created.id, **FAST).status == "completed"
    assert [e["status"] for e in emulator.requests_of(created.id, "GET")] == [400, 200]


def test_the_provider_profile_202_a_req_id_and_the_permanent_resp_id() -> None:
    profile = next(name for name, p in CONTRACT["profiles"].items() if (p.get("lifecycle") or {}).get("id_prefix") == "req_")
    provider = Emulator(profile)
    try:
        c = provider.client()
        raw = c.responses.with_raw_response.create(model=MODEL, input="poem", background=True, metadata={"polls": "1"})
        data = raw.parse()
        assert raw.http_response.status_code == 202 and data.id.startswith("req_") and data.status == "in_progress"
        done = wait_for_response(c, data.id, profile=profile, **FAST)
        assert done.id == "resp_" + data.id[4:]
        guarded = c.responses.create(model=MODEL, background=True, metadata={"scenario": "error.type/guardrail_violation"})
        with pytest.raises(openai.BadRequestError) as caught:
            wait_for_response(c, guarded.id, profile=profile, **FAST)
        assert caught.value.type == "guardrail_violation"
    finally:
        provider.close()


def test_the_package_exports() -> None:
    for name in error_contract.__all__:
        assert getattr(error_contract, name) is not None, name
