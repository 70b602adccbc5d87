"""error-contract: the contract for the OpenAI API's asynchronous failures, in Python.

Every failure value of a background Response, batch, fine-tuning job, vector-store file, run, chat completion,
stream event, webhook event or HTTP error mapped to the exception class the synchronous path raises and a retry
decision (spec/PROCEDURE.md applied to the bundled contract.json)::

    import error_contract

    result = error_contract.classify(client.responses.retrieve(response_id))
    # {'outcome': 'failed', 'kind': 'rate_limit_error', 'retryable': True, 'throttling': True, 'http_status': 429, ...}

    error_contract.raise_for_status(response)            # raises openai.RateLimitError for that Response
    response = error_contract.create_and_wait(client, model="gpt-5", input="...", retry=error_contract.Retry(max_attempts=3))

Classification needs nothing but the standard library; ``raise_for_status`` and the wait helpers need ``openai``
(``pip install "error-contract[openai]"``), imported on first use.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Dict

from ._classify import Contract, Result
from ._json import to_json

__version__ = "0.1.0"

# The names the openai integration provides, imported on first use (see __getattr__), so that classification alone
# never imports openai.
_OPENAI = ("raise_for_status", "contract_error", "is_contract_error")
_WAIT = (
    "wait_for_response",
    "create_and_wait",
    "wait_for_batch",
    "wait_for_fine_tuning_job",
    "wait_for_vector_store_file",
    "Retry",
    "RetryInfo",
    "PollInfo",
    "WaitTimeoutError",
    "poll_after_ms",
    "MIN_POLL_AFTER_MS",
    "MAX_POLL_AFTER_MS",
)

__all__ = ["Contract", "Result", "CONTRACT_PATH", "load", "classify", "explain", "to_json", *_OPENAI, *_WAIT]

#: The contract bundled with this package (a copy of the error-contract repository's generated/contract.json).
CONTRACT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "contract.json")

_loaded: Dict[str, Contract] = {}


def load(profile: str = "default") -> Contract:
    """The bundled contract's decision tables under ``profile`` (built once per profile, then shared)."""
    contract = _loaded.get(profile)
    if contract is None:
        base = _loaded.get("default")
        if base is not None:
            data = base.data
        else:
            with open(CONTRACT_PATH, "r", encoding="utf-8") as f:
                data = json.load(f)
        contract = _loaded[profile] = Contract(data, profile)
    return contract


def _module_classify() -> Any:
    """``classify``: the bundled contract's compiled classify (one call, no wrapper), built on first use; pydantic
    models are classified as their JSON, another profile by ``load(profile)``."""
    contract = load()
    fast = contract._compile_classify(
        lambda observation: contract.classify(to_json(observation)),
        lambda profile, observation: load(profile).classify(to_json(observation)),
    )
    fast.__name__ = fast.__qualname__ = "classify"
    fast.__module__ = __name__
    fast.__doc__ = _CLASSIFY_DOC
    globals()["classify"] = fast
    return fast


_CLASSIFY_DOC = """Classifies one observation: any JSON value (an HTTP envelope ``{http_status, headers?, body?}`` or a bare body
seen with 200 OK), or an openai pydantic model (classified as the JSON the API sent), under ``profile`` (default:
"default"). Total and deterministic; the result is shared between calls: do not mutate it."""
def explain(entry_or_result: Any, profile: str = "default") -> "Dict[str, Any] | None":
    """An entry's summary, remedy and action (and the action's meaning) from the bundled contract, for showing a
    person what happened: ``explain("error.code/insufficient_quota")`` or ``explain(classify(obj))`` (the result's own
    action counts). None for an unknown entry id."""
    contract = _loaded.get(profile) or load(profile)
    return contract.explain(entry_or_result)


def __getattr__(name: str) -> Any:
    # classify is built on first use (importing the package reads no contract); the openai integration is imported
    # on first use, so that classification alone never imports openai.
    if name == "classify":
        return _module_classify()
    if name in _OPENAI:
        from . import _openai

        return getattr(_openai, name)
    if name in _WAIT:
        from . import _wait

        return getattr(_wait, name)
    raise AttributeError(f"module 'error_contract' has no attribute {name!r}")


if TYPE_CHECKING:

    def classify(observation: Any, profile: str = "default") -> Result: ...

    from ._openai import contract_error, is_contract_error, raise_for_status
    from ._wait import (
        MAX_POLL_AFTER_MS,
        MIN_POLL_AFTER_MS,
        PollInfo,
        Retry,
        RetryInfo,
        WaitTimeoutError,
        create_and_wait,
        poll_after_ms,
        wait_for_batch,
        wait_for_fine_tuning_job,
        wait_for_response,
        wait_for_vector_store_file,
    )
