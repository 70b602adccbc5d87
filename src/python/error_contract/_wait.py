"""Wait helpers for openai-python: poll a background Response (or a batch, fine-tuning job, vector-store file) until
the contract says it has ended, then return it or raise the SDK's own class; create_and_wait re-creates a Response
only when the contract's action says a new attempt within the run can help, waiting the server's delay when it gave
one. Each works with OpenAI (returns) and AsyncOpenAI (returns an awaitable, cancellable with asyncio)."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import math
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable, List, Mapping, Optional, Tuple, Union

import openai

from ._classify import Contract, Result
from ._hints import parse_hint_value
from ._json import to_json
from ._openai import contract_error, is_contract_error

if TYPE_CHECKING:
    from openai.types.responses import Response

__all__ = [
    "Retry",
    "PollInfo",
    "RetryInfo",
    "WaitTimeoutError",
    "wait_for_response",
    "create_and_wait",
    "wait_for_batch",
    "wait_for_fine_tuning_job",
    "wait_for_vector_store_file",
    "poll_after_ms",
    "retry_delay",
    "MIN_POLL_AFTER_MS",
    "MAX_POLL_AFTER_MS",
]

DEFAULT_TIMEOUT = 3600.0
DEFAULT_POLL_INTERVAL = 1.0
DEFAULT_MAX_POLL_INTERVAL = 10.0
BACKOFF_FACTOR = 1.5
MAX_ATTEMPTS = 100
# The longest a single delay may be: what asyncio and time.sleep take without surprise (about 24.8 days).
MAX_DELAY = (2**31 - 1) / 1000
POLL_AFTER_HEADER = "openai-poll-after-ms"
#: The shortest delay an openai-poll-after-ms header can ask for: a smaller value (0 included) waits this long.
MIN_POLL_AFTER_MS = 100
#: The longest delay an openai-poll-after-ms header can ask for: a larger value waits this long.
MAX_POLL_AFTER_MS = 60_000


@dataclass(frozen=True)
class Retry:
    """create_and_wait's retry policy. Delays are in seconds."""

    #: Attempts in all, including the first (1: no retry); at most 100.
    max_attempts: int = 1
    #: Delay before the second attempt; it doubles each retry up to max_delay.
    delay: float = 1.0
    max_delay: float = 30.0
    #: Factor applied to the delay when the failure is throttling (a rate limit).
    throttling_multiplier: float = 4.0


@dataclass(frozen=True)
class PollInfo:
    #: 1 for the first poll.
    poll: int
    #: How the contract classifies the object just read.
    result: Result
    #: The poll's HTTP response headers (x-request-id, openai-poll-after-ms, …).
    headers: Any
    #: Seconds until the next poll; None when the object has ended.
    next_poll: Optional[float]


@dataclass(frozen=True)
class RetryInfo:
    #: The attempt that failed, 1 for the first.
    attempt: int
    #: Seconds until the next attempt is created.
    delay: float


class WaitTimeoutError(openai.APITimeoutError):
    """The deadline passed while waiting: an ``openai.APITimeoutError`` carrying the last object seen
    (``.response``, None if no poll had answered), ``.timeout`` and, from create_and_wait, ``.attempts``."""

    def __init__(self, message: str, response: Any, timeout: float, request: Any) -> None:
        super().__init__(request=request)
        self.message = message
        self.args = (message,)
        self.response = response
        self.timeout = timeout
        self.attempts: Optional[List[Any]] = None

    def __str__(self) -> str:
        return self.message


def _clamp_poll(ms: Optional[int]) -> Optional[int]:
    return None if ms is None else min(max(ms, MIN_POLL_AFTER_MS), MAX_POLL_AFTER_MS)


def poll_after_ms(headers: Any) -> Optional[int]:
    """The delay an openai-poll-after-ms header asks for, in ms, read as the contract reads it (decimal digits only: no
    sign, fraction, exponent, underscore or hex), clamped to [MIN_POLL_AFTER_MS, MAX_POLL_AFTER_MS]; None when absent
    or unparsable."""
    value = headers.get(POLL_AFTER_HEADER) if headers is not None else None
    return _clamp_poll(parse_hint_value("integer_ms", value, 2**31 - 1))


def _envelope(obj: Any, http: Any) -> dict:
    """A poll's answer as the contract reads it: the 200 envelope, whose headers carry the delay hints."""
    headers = http.headers
    return {"http_status": 200, "headers": {k: v for k, v in headers.items()} if headers is not None else {}, "body": to_json(obj)}


def _retries_in_run(error: BaseException, contract: Contract) -> bool:
    """Whether the contract's action for a failure says a new attempt within this run can help (an `in_run` action:
    retry now, back off and retry). A contract before 3.0.0 has no actions: then retryable alone decides."""
    result = getattr(error, "contract")
    if not result["retryable"]:
        return False
    action = result.get("action")
    if action is None:
        return True
    return ((contract.data.get("actions") or {}).get(action) or {}).get("retry") == "in_run"


def _retry_delay(error: BaseException, policy: "Retry", attempt: int) -> float:
    """The server's delay (retry_after_ms, within the horizon or the action would not retry), else the backoff."""
    result = getattr(error, "contract")
    hinted = result.get("retry_after_ms")
    if hinted is not None:
        return min(hinted / 1000, MAX_DELAY)
    return retry_delay(policy, attempt, bool(result["throttling"]))


def _seconds(name: str, value: Any, allow_zero: bool) -> float:
    if type(value) not in (int, float) or not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero) or value > MAX_DELAY:
        raise ValueError(f"{name} must be a number of seconds from {0 if allow_zero else 'above 0'} to {MAX_DELAY:g}, got {value!r}")
    return float(value)


def _check_retry(retry: Union[Retry, Mapping[str, Any], None]) -> Retry:
    if retry is None:
        retry = Retry()
    elif isinstance(retry, Mapping):
        retry = Retry(**retry)
    elif not isinstance(retry, Retry):
        raise TypeError(f"retry must be a Retry or a mapping, got {type(retry).__name__}")
    if type(retry.max_attempts) is not int or not 1 <= retry.max_attempts <= MAX_ATTEMPTS:
        raise ValueError(f"retry.max_attempts must be an integer from 1 to {MAX_ATTEMPTS}, got {retry.max_attempts!r}")
    _seconds("retry.delay", retry.delay, True)
    _seconds("retry.max_delay", retry.max_delay, True)
    m = retry.throttling_multiplier
    if type(m) not in (int, float) or not math.isfinite(m) or not 1 <= m <= 1000:
        raise ValueError(f"retry.throttling_multiplier must be a number from 1 to 1000, got {m!r}")
    return retry


def retry_delay(retry: Retry, attempt: int, throttling: bool) -> float:
    """Exponential, capped, longer for throttling, with the SDKs' jitter (up to 25% shorter) so that clients spread."""
    base = min(retry.delay * 2 ** (attempt - 1), retry.max_delay)
    return min(base * (retry.throttling_multiplier if throttling else 1) * (1 - 0.25 * random.random()), MAX_DELAY)


class _Options:
    def __init__(self, timeout: Any, poll_interval: Any, max_poll_interval: Any, on_poll: Any, profile: str, contract: Optional[Contract]) -> None:
        from . import load

        self.timeout = _seconds("timeout", timeout, True)
        self.poll_interval = _seconds("poll_interval", poll_interval, False)
        self.max_poll_interval = max(self.poll_interval, _seconds("max_poll_interval", max_poll_interval, False))
        if on_poll is not None and not callable(on_poll):
            raise TypeError("on_poll must be callable")
        self.on_poll = on_poll
        self.contract = contract if contract is not None else load(profile)


class _State:
    """One waiting operation: its deadline, the last object seen and the request that fetched it."""

    def __init__(self, what: str, timeout: float, now: Callable[[], float]) -> None:
        self.what = what
        self.timeout = timeout
        self.now = now
        self.deadline = now() + timeout
        self.last: Any = None
        self.request: Any = None

    def remaining(self) -> float:
        return self.deadline - self.now()

    def timed_out(self) -> WaitTimeoutError:
        status = getattr(self.last, "status", None) if not isinstance(self.last, dict) else self.last.get("status")
        suffix = f" (last status: {status})" if status is not None else ""
        request = self.request
        if request is None:
            from ._openai import _sdk

            request = _sdk()[1].Request("GET", "https://api.openai.com/v1")
        return WaitTimeoutError(f"{self.what}: did not finish within {self.timeout:g} s{suffix}", self.last, self.timeout, request)


def _snapshot(raw: Any) -> Tuple[Any, Any]:
    """(parsed object, httpx response) of a raw response (with_raw_response)."""
    return raw.parse(), raw.http_response


def _step(options: _Options, state: _State, poll: int, obj: Any, http: Any, interval: float) -> Tuple[Optional[float], Optional[float], Result]:
    """Classifies one snapshot: (delay before the next poll or None when ended, the hinted delay or None, result)."""
    state.last = obj
    state.request = http.request
    # Classified with the poll's headers: a pending result carries the server's poll delay, a failed one its retry delay.
    result = options.contract.classify(_envelope(obj, http))
    if result["outcome"] != "pending":
        return None, None, result
    hinted_ms = _clamp_poll(result["retry_after_ms"])
    hinted = hinted_ms / 1000 if hinted_ms is not None else None
    return (hinted if hinted is not None else interval), hinted, result


def _end(options: _Options, obj: Any, http: Any, result: Result) -> Any:
    if result["outcome"] == "completed":
        return obj
    raise contract_error(obj, result, contract=options.contract, headers=http.headers, request=http.request)


def _poll_sync(fetch: Callable[[float], Any], options: _Options, state: _State, first: Any = None, seen: Optional[Callable[[Any], None]] = None) -> Any:
    interval = options.poll_interval
    snapshot = first
    poll = 0
    while True:
        poll += 1
        if snapshot is None:
            remaining = state.remaining()
            if remaining <= 0:
                raise state.timed_out()
            try:
                snapshot = _snapshot(fetch(remaining))
            except openai.APITimeoutError as error:
                if state.remaining() <= 0:
                    raise state.timed_out() from error
                raise
        obj, http = snapshot
        snapshot = None
        if seen is not None:
            seen(obj)
        delay, hinted, result = _step(options, state, poll, obj, http, interval)
        if options.on_poll is not None:
            options.on_poll(obj, PollInfo(poll, result, http.headers, delay))
        if delay is None:
            return _end(options, obj, http, result)
        remaining = state.remaining()
        if delay >= remaining:
            time.sleep(max(remaining, 0))
            raise state.timed_out()
        time.sleep(delay)
        if hinted is None:
            interval = min(interval * BACKOFF_FACTOR, options.max_poll_interval)


async def _within(awaitable: Awaitable[Any], seconds: float) -> Any:
    """The awaitable's result, or asyncio.TimeoutError once ``seconds`` have passed (the awaitable is cancelled).

    Not asyncio.wait_for: before Python 3.12 it can swallow a cancellation of the waiting task that arrives as the
    awaitable completes, and a cancelled wait would go on polling. asyncio.wait never catches the cancellation."""
    inner = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({inner}, timeout=seconds)
    except BaseException:
        inner.cancel()
        raise
    if not done:
        inner.cancel()
        await asyncio.wait({inner})
        raise asyncio.TimeoutError()
    return inner.result()


async def _poll_async(fetch: Callable[[float], Awaitable[Any]], options: _Options, state: _State, first: Any = None, seen: Optional[Callable[[Any], None]] = None) -> Any:
    interval = options.poll_interval
    snapshot = first
    poll = 0
    while True:
        poll += 1
        if snapshot is None:
            remaining = state.remaining()
            if remaining <= 0:
                raise state.timed_out()
            try:
                # The deadline cancels the poll in flight, the client's own Retry-After sleep included: once the wait
                # has ended, nothing more is sent.
                snapshot = _snapshot(await _within(fetch(remaining), remaining))
            except asyncio.TimeoutError as error:
                raise state.timed_out() from error
            except openai.APITimeoutError as error:
                if state.remaining() <= 0:
                    raise state.timed_out() from error
                raise
        obj, http = snapshot
        snapshot = None
        if seen is not None:
            seen(obj)
        delay, hinted, result = _step(options, state, poll, obj, http, interval)
        if options.on_poll is not None:
            outcome = options.on_poll(obj, PollInfo(poll, result, http.headers, delay))
            if inspect.isawaitable(outcome):
                await outcome
        if delay is None:
            return _end(options, obj, http, result)
        remaining = state.remaining()
        if delay >= remaining:
            await asyncio.sleep(max(remaining, 0))
            raise state.timed_out()
        await asyncio.sleep(delay)
        if hinted is None:
            interval = min(interval * BACKOFF_FACTOR, options.max_poll_interval)


_POLL_HEADERS = {"X-Stainless-Poll-Helper": "true"}


def _is_async(client: Any, method: Any) -> bool:
    """An AsyncOpenAI (or AsyncAzureOpenAI, or any client whose methods are coroutine functions)."""
    try:
        from openai._base_client import AsyncAPIClient
    except ImportError:  # pragma: no cover - an openai without it
        AsyncAPIClient = ()  # type: ignore[assignment,misc]
    return isinstance(client, AsyncAPIClient) or inspect.iscoroutinefunction(method)


def _wait(what: str, client: Any, resource: Any, call: Callable[[Any, float], Any], timeout: Any, poll_interval: Any, max_poll_interval: Any, on_poll: Any, profile: str, contract: Optional[Contract]) -> Any:
    options = _Options(timeout, poll_interval, max_poll_interval, on_poll, profile, contract)
    raw = resource.with_raw_response

    def fetch(remaining: float) -> Any:
        return call(raw, remaining)

    if _is_async(client, resource.retrieve):
        return _poll_async(fetch, options, _State(what, options.timeout, time.monotonic))
    return _poll_sync(fetch, options, _State(what, options.timeout, time.monotonic))


def _check_id(name: str, value: Any) -> None:
    if type(value) is not str or value == "":
        raise TypeError(f"{name} must be a non-empty string")


def wait_for_response(
    client: Any,
    response_id: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    on_poll: Optional[Callable[[Any, PollInfo], Any]] = None,
    profile: str = "default",
    contract: Optional[Contract] = None,
) -> Any:
    """Polls ``client.responses.retrieve(response_id)`` until the Response ends; returns it when completed, else
    raises as raise_for_status does (the SDK's class for the contract's kind, with ``.response`` and ``.contract``).

    With an ``AsyncOpenAI`` client it returns an awaitable (cancel its task to stop). ``timeout`` (seconds, default an
    hour) is the deadline of the whole wait: ``WaitTimeoutError``, an ``openai.APITimeoutError``. The delay between
    polls starts at ``poll_interval`` and grows by half each poll up to ``max_poll_interval``; an
    ``openai-poll-after-ms`` header wins (clamped to 0.1-60 s). A transient HTTP error of a poll is the client's to
    retry (``max_retries``); any error it finally raises ends the wait.
    """
    _check_id("response_id", response_id)
    return _wait(
        f"wait_for_response({response_id})",
        client,
        client.responses,
        lambda raw, remaining: raw.retrieve(response_id, extra_headers=_POLL_HEADERS, timeout=remaining),
        timeout,
        poll_interval,
        max_poll_interval,
        on_poll,
        profile,
        contract,
    )


def wait_for_batch(client: Any, batch_id: str, *, timeout: float = DEFAULT_TIMEOUT, poll_interval: float = DEFAULT_POLL_INTERVAL, max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL, on_poll: Optional[Callable[[Any, PollInfo], Any]] = None, profile: str = "default", contract: Optional[Contract] = None) -> Any:
    """Polls ``client.batches.retrieve(batch_id)`` until the batch ends (as wait_for_response). A completed batch
    with failed requests is a partial failure and raises."""
    _check_id("batch_id", batch_id)
    return _wait(f"wait_for_batch({batch_id})", client, client.batches, lambda raw, remaining: raw.retrieve(batch_id, extra_headers=_POLL_HEADERS, timeout=remaining), timeout, poll_interval, max_poll_interval, on_poll, profile, contract)


def wait_for_fine_tuning_job(client: Any, job_id: str, *, timeout: float = DEFAULT_TIMEOUT, poll_interval: float = DEFAULT_POLL_INTERVAL, max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL, on_poll: Optional[Callable[[Any, PollInfo], Any]] = None, profile: str = "default", contract: Optional[Contract] = None) -> Any:
    """Polls ``client.fine_tuning.jobs.retrieve(job_id)`` until the job ends (as wait_for_response)."""
    _check_id("job_id", job_id)
    return _wait(f"wait_for_fine_tuning_job({job_id})", client, client.fine_tuning.jobs, lambda raw, remaining: raw.retrieve(job_id, extra_headers=_POLL_HEADERS, timeout=remaining), timeout, poll_interval, max_poll_interval, on_poll, profile, contract)


def wait_for_vector_store_file(client: Any, file_id: str, *, vector_store_id: str, timeout: float = DEFAULT_TIMEOUT, poll_interval: float = DEFAULT_POLL_INTERVAL, max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL, on_poll: Optional[Callable[[Any, PollInfo], Any]] = None, profile: str = "default", contract: Optional[Contract] = None) -> Any:
    """Polls ``client.vector_stores.files.retrieve(file_id, vector_store_id=...)`` until the file is processed."""
    _check_id("file_id", file_id)
    _check_id("vector_store_id", vector_store_id)
    return _wait(
        f"wait_for_vector_store_file({file_id})",
        client,
        client.vector_stores.files,
        lambda raw, remaining: raw.retrieve(file_id, vector_store_id=vector_store_id, extra_headers=_POLL_HEADERS, timeout=remaining),
        timeout,
        poll_interval,
        max_poll_interval,
        on_poll,
        profile,
        contract,
    )


def _attach(error: BaseException, attempts: List[Any]) -> BaseException:
    try:
        error.attempts = list(attempts)  # type: ignore[attr-defined]
    except AttributeError:
        pass
    return error


def create_and_wait(
    client: Any,
    *,
    retry: Union[Retry, Mapping[str, Any], None] = None,
    on_retry: Optional[Callable[[BaseException, RetryInfo], Any]] = None,
    timeout: float = DEFAULT_TIMEOUT,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    on_poll: Optional[Callable[[Any, PollInfo], Any]] = None,
    profile: str = "default",
    contract: Optional[Contract] = None,
    **params: Any,
) -> Any:
    """Creates a Response with ``background=True`` (``params`` are ``client.responses.create``'s) and waits for it.

    With ``retry=Retry(max_attempts=3)`` a failure the contract marks retryable is re-created after a backoff
    (doubling from ``retry.delay``, times ``throttling_multiplier`` for a rate limit, with jitter); ``on_retry(error,
    RetryInfo)`` sees each. A non-retryable failure, the deadline (``timeout`` covers every attempt and delay) or an
    HTTP error the client gave up on is raised at once. The error raised carries ``.attempts``: the last Response
    seen of every attempt. With an ``AsyncOpenAI`` client it returns an awaitable.
    """
    if params.get("stream"):
        raise TypeError("create_and_wait: stream is not supported (it waits by polling)")
    if "background" in params and params["background"] is not True:
        raise TypeError("create_and_wait: the Response is always created with background=True")
    params = {k: v for k, v in params.items() if k not in ("background", "stream")}
    policy = _check_retry(retry)
    if on_retry is not None and not callable(on_retry):
        raise TypeError("on_retry must be callable")
    options = _Options(timeout, poll_interval, max_poll_interval, on_poll, profile, contract)
    raw = client.responses.with_raw_response
    if _is_async(client, client.responses.create):
        return _create_async(raw, params, policy, on_retry, options)
    state = _State("create_and_wait", options.timeout, time.monotonic)
    attempts: List[Any] = []
    for attempt in itertools.count(1):
        index, remaining = _next_attempt(state, attempts)
        try:
            try:
                created = _snapshot(raw.create(**params, background=True, timeout=remaining))
            except openai.APITimeoutError as error:
                if state.remaining() <= 0:
                    raise state.timed_out() from error
                raise
            response_id = created[0].id
            return _poll_sync(lambda left: raw.retrieve(response_id, extra_headers=_POLL_HEADERS, timeout=left), options, state, created, _recorder(attempts, index))
        except Exception as error:
            delay = _retry_or_raise(error, attempts, policy, attempt, options)
            if on_retry is not None:
                on_retry(error, RetryInfo(attempt, delay))
            pause, gives_up = _pause(delay, state)
            time.sleep(pause)
            if gives_up:
                raise _attach(state.timed_out(), attempts) from error


def _next_attempt(state: _State, attempts: List[Any]) -> Tuple[int, float]:
    """The index the next attempt's Response takes in ``attempts``, and the time left for it; raises the timeout (with
    the attempts seen attached) when none is left."""
    remaining = state.remaining()
    if remaining <= 0:
        raise _attach(state.timed_out(), attempts)
    return len(attempts), remaining


def _recorder(attempts: List[Any], index: int) -> Callable[[Any], None]:
    """What each poll of attempt ``index`` reports: the last Response seen of that attempt, kept in ``attempts``."""

    def seen(obj: Any) -> None:
        if len(attempts) > index:
            attempts[index] = obj
        else:
            attempts.append(obj)

    return seen


def _retry_or_raise(error: Exception, attempts: List[Any], policy: Retry, attempt: int, options: _Options) -> float:
    """The backoff before the next attempt, after ``error`` ended this one; re-raises ``error`` (with the attempts
    seen attached) when it is no contract error, the contract says a retry within the run cannot help, or the
    attempts are spent (the very error object, as the caller's ``except`` clause caught it)."""
    _attach(error, attempts)
    if not is_contract_error(error) or not _retries_in_run(error, options.contract) or attempt >= policy.max_attempts:
        raise error
    return _retry_delay(error, policy, attempt)


def _pause(delay: float, state: _State) -> Tuple[float, bool]:
    """How long to sleep before the next attempt, and whether the deadline passes during it (then give up after)."""
    remaining = state.remaining()
    if delay >= remaining:
        return max(remaining, 0), True
    return delay, False


async def _create_async(raw: Any, params: dict, policy: Retry, on_retry: Any, options: _Options) -> Any:
    state = _State("create_and_wait", options.timeout, time.monotonic)
    attempts: List[Any] = []
    for attempt in itertools.count(1):
        index, remaining = _next_attempt(state, attempts)
        try:
            try:
                created = _snapshot(await _within(raw.create(**params, background=True, timeout=remaining), remaining))
            except asyncio.TimeoutError as error:
                raise state.timed_out() from error
            except openai.APITimeoutError as error:
                if state.remaining() <= 0:
                    raise state.timed_out() from error
                raise
            response_id = created[0].id
            return await _poll_async(lambda left: raw.retrieve(response_id, extra_headers=_POLL_HEADERS, timeout=left), options, state, created, _recorder(attempts, index))
        except Exception as error:
            delay = _retry_or_raise(error, attempts, policy, attempt, options)
            if on_retry is not None:
                outcome = on_retry(error, RetryInfo(attempt, delay))
                if inspect.isawaitable(outcome):
                    await outcome
            pause, gives_up = _pause(delay, state)
            await asyncio.sleep(pause)
            if gives_up:
                raise _attach(state.timed_out(), attempts) from error
