"""raise_for_status(): the failure an object reports, raised as the installed openai package's own exception class.

Imported only when an exception is built: the rest of the package needs no openai.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple, TypeVar

from ._json import to_json

if TYPE_CHECKING:
    from ._classify import Contract

__all__ = ["raise_for_status", "contract_error", "is_contract_error", "endpoint_of", "DEFAULT_BASE_URL"]

T = TypeVar("T")

DEFAULT_BASE_URL = "https://api.openai.com/v1"

_MARK = "_error_contract"


def _sdk() -> Tuple[Any, Any]:
    import openai
    import openai._exceptions as sdk_exceptions

    # openai-python has shipped on httpx, and later on its fork httpx2: use whichever the installed one uses.
    httpx = getattr(sdk_exceptions, "httpx2", None) or getattr(sdk_exceptions, "httpx")
    return openai, httpx


def is_contract_error(error: object) -> bool:
    """True for the exceptions raise_for_status (and so the wait helpers) raise for a failed object."""
    return isinstance(error, BaseException) and getattr(error, _MARK, False) is True


def _segments(path: str) -> List[str]:
    return path.split(".")


def _read(root: Any, segments: List[str]) -> Any:
    """The value at a dotted path; a `[]` segment reads the first element of an array that is not null."""
    value = root
    for part in segments:
        if type(value) is not dict:
            return None
        each = part.endswith("[]")
        value = value.get(part[:-2] if each else part)
        if each:
            value = next((v for v in value if v is not None), None) if type(value) is list else None
    return value


def _sdk_error_body(body: Any) -> Any:
    """What openai-python passes as `body` for an HTTP error: body["error"] when the body is a mapping, else the body."""
    return body.get("error", body) if isinstance(body, dict) else body


def _error_object(contract: "Contract", data: Any, entry: Optional[dict]) -> Any:
    """The API's error object for a failure: what the SDK's own exception would have as `body` (code, message, …).

    For an HTTP envelope, the body's `error`; for a reason entry, the object that holds the reason (`error` of a
    failed Response, `last_error` of a run or vector-store file, the `error` event itself); for a status that decides
    alone (cancelled, expired), None.
    """
    if entry is None or type(data) is not dict:
        return None
    fields = contract.data["fields"]
    role = fields.get(entry["field"], {}).get("role")
    if "http_status" in data:
        return _sdk_error_body(data.get("body"))
    recorded = data.get("response")
    if type(recorded) is dict and "status_code" in recorded and type(recorded.get("body")) is dict:
        # A batch output line: the HTTP response it records decides.
        return _sdk_error_body(recorded["body"])
    if role in ("http", "http_refinement"):
        # An object standing for an HTTP response (a batch output line, a WebSocket error frame with a status).
        response = data.get("response")
        if type(response) is dict and type(response.get("body")) is dict:
            return _sdk_error_body(response["body"])
        return _sdk_error_body(data) if "error" in data else None
    if role not in ("reason", "vocabulary"):
        return None
    target = data
    event_type = data.get("type") if "object" not in data else None
    if type(event_type) is str:
        # A lifecycle event (response.failed) was classified by the object it carries.
        delegate = _delegates(contract).get(event_type)
        if delegate is not None and type(data.get(delegate)) is dict:
            target = data[delegate]
    sharers = [fid for fid, f in fields.items() if f.get("shares_values_with") == entry["field"]]
    for fid in [entry["field"], *sharers]:
        path = fields[fid].get("path")
        if not path or path == "$":
            continue
        segments = _segments(path)
        holder = target if len(segments) == 1 else _read(target, segments[:-1])
        value = _read(target, segments)
        if type(holder) is dict and (entry["value"] == "*" or value == entry["value"]):
            return holder
    return None


def _delegates(contract: "Contract") -> Dict[str, str]:
    """Stream event type -> the key of the object it delegates to (`response.failed` -> `response`)."""
    found = contract.__dict__.get("_delegates")
    if found is None:
        found = contract.__dict__["_delegates"] = {e["value"]: e["delegate"] for e in contract.data["entries"] if "delegate" in e}
    return found


def _str(value: Any) -> Optional[str]:
    return value if type(value) is str and value != "" else None


# object -> (method, path template); {key} reads the object's key.
_ENDPOINTS: Dict[str, Tuple[str, str]] = {
    "response": ("GET", "/responses/{id}"),
    "batch": ("GET", "/batches/{id}"),
    "fine_tuning.job": ("GET", "/fine_tuning/jobs/{id}"),
    "vector_store": ("GET", "/vector_stores/{id}"),
    "vector_store.file": ("GET", "/vector_stores/{vector_store_id}/files/{id}"),
    "vector_store.files_batch": ("GET", "/vector_stores/{vector_store_id}/file_batches/{id}"),
    "thread.run": ("GET", "/threads/{thread_id}/runs/{id}"),
    "thread.run.step": ("GET", "/threads/{thread_id}/runs/{run_id}/steps/{id}"),
    "thread.message": ("GET", "/threads/{thread_id}/messages/{id}"),
    "chat.completion": ("POST", "/chat/completions"),
    "chat.completion.chunk": ("POST", "/chat/completions"),
    "text_completion": ("POST", "/completions"),
    "eval.run": ("GET", "/evals/{eval_id}/runs/{id}"),
    "file": ("GET", "/files/{id}"),
    "upload": ("GET", "/uploads/{id}"),
    "video": ("GET", "/videos/{id}"),
    "realtime.response": ("GET", "/realtime"),
}

# Webhook event type prefix -> the endpoint of the object its data names.
_WEBHOOKS: List[Tuple[str, str]] = [
    ("response.", "/responses/{id}"),
    ("batch.", "/batches/{id}"),
    ("fine_tuning.job.", "/fine_tuning/jobs/{id}"),
    ("eval.run.", "/evals/runs/{id}"),
    ("realtime.call.", "/realtime/calls/{call_id}"),
]


def _fill(template: str, values: Any) -> Optional[str]:
    out = template
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        value = _str(values.get(out[start + 1 : end])) if type(values) is dict else None
        if value is None:
            return None
        out = out[:start] + value + out[end + 1 :]
    return out


def endpoint_of(data: Any) -> Tuple[str, str]:
    """The request (method, path under the base URL) that returned this object, as far as the object says."""
    if type(data) is not dict:
        return ("GET", "/responses")
    name = data.get("object")
    if name == "event" and type(data.get("type")) is str:
        for prefix, template in _WEBHOOKS:
            if data["type"].startswith(prefix):
                path = _fill(template, data.get("data"))
                if path is not None:
                    return ("GET", path)
        return ("POST", "/webhooks")
    if type(name) is str and name in _ENDPOINTS:
        method, template = _ENDPOINTS[name]
        path = _fill(template, data)
        if path is not None:
            return (method, path)
        base = template.split("/{")[0]
        return (method, base)
    if name is None:
        if "event" in data and type(data.get("data")) is dict:
            thread = _str(data["data"].get("thread_id"))
            return ("POST", f"/threads/{thread}/runs" if thread else "/threads/runs")
        if "custom_id" in data:
            return ("POST", "/batches")
        if type(data.get("type")) is str:
            return ("POST", "/responses")
        if "error" in data:
            return ("POST", "/chat/completions")
    return ("GET", "/responses")


def _describe(data: Any, result: dict) -> str:
    o = data if type(data) is dict else {}
    what = o["object"] if type(o.get("object")) is str else (f'{o["type"]} event' if type(o.get("type")) is str else "observation")
    ident = f' {o["id"]}' if type(o.get("id")) is str else ""
    return f"{what}{ident} ended {result.get('outcome')} ({result.get('entry')})"


def _sdk_class(openai: Any, contract: "Contract", kind: Optional[str]) -> Any:
    """The installed openai's class for a kind; a name it lacks (an SDK older than the contract) is APIError."""
    binding = contract.kinds.get(kind, {}).get("python") if kind is not None else None
    if binding:
        found = getattr(openai, binding["class"], None)
        if isinstance(found, type) and issubclass(found, openai.OpenAIError):
            return found
    return openai.APIError


def contract_error(
    obj: Any,
    result: Optional[Mapping[str, Any]] = None,
    *,
    contract: Optional["Contract"] = None,
    headers: Any = None,
    request: Any = None,
    base_url: Optional[str] = None,
    url: Optional[str] = None,
    message: Optional[str] = None,
    profile: str = "default",
) -> BaseException:
    """Builds (does not raise) the openai exception for an object the contract classified as ``result``.

    ``headers``: of the HTTP response that carried the object (``x-request-id`` becomes ``request_id``).
    ``request``: the httpx request that fetched it; else one is made from ``base_url`` (default the API's) and the
    endpoint the object names, or ``url``.
    """
    from . import load

    if contract is None:
        contract = load(profile)
    data = to_json(obj)
    if result is None:
        result = contract.classify(data)
    openai, httpx = _sdk()
    entry = contract.entry(result["entry"]) if type(result.get("entry")) is str else None
    error_object = _error_object(contract, data, entry)
    api_message = _str(error_object.get("message")) if type(error_object) is dict else None
    text = message or api_message or _describe(data, result)

    merged = httpx.Headers()
    if type(data) is dict and "http_status" in data and type(data.get("headers")) is dict:
        for name, value in data["headers"].items():
            if type(name) is str and type(value) is str:
                merged[name] = value
    if headers is not None:
        for name, value in httpx.Headers(headers).multi_items():
            merged[name] = value
    if "x-request-id" not in merged and type(data) is dict and type(data.get("response")) is dict:
        # A batch output line records the request id of the response it holds.
        request_id = _str(data["response"].get("request_id"))
        if request_id is not None:
            merged["x-request-id"] = request_id

    if request is None:
        if url is None:
            method, path = endpoint_of(data)
            url = (base_url or DEFAULT_BASE_URL).rstrip("/") + path
        else:
            method = "GET"
        request = httpx.Request(method, url)

    cls = _sdk_class(openai, contract, result.get("kind"))
    status = result.get("http_status")
    error: BaseException
    http_response = None
    if issubclass(cls, openai.APIStatusError):
        code = status if type(status) is int else 500
        http_response = httpx.Response(code, headers=merged, request=request)
        # As openai-python words a synchronous error: "Error code: 429 - <the API's message>".
        envelope = type(data) is dict and "http_status" in data
        # An HTTP envelope without a message reads "Error code: 500", exactly as the SDK's own error would.
        error = cls(f"Error code: {code}" if envelope and message is None and api_message is None else f"Error code: {code} - {text}", response=http_response, body=error_object)
    elif issubclass(cls, openai.APIResponseValidationError):
        http_response = httpx.Response(200, headers=merged, request=request)
        error = cls(http_response, data, message=text)
    elif issubclass(cls, openai.APITimeoutError):
        error = cls(request=request)
    elif issubclass(cls, openai.APIConnectionError):
        error = cls(message=text, request=request)
    elif issubclass(cls, openai.APIError):
        error = cls(text, request, body=error_object)
    elif cls.__name__ in ("LengthFinishReasonError", "ContentFilterFinishReasonError"):
        from openai.types.chat import ChatCompletion

        if type(data) is dict and data.get("object") == "chat.completion":
            completion = ChatCompletion.construct(**data)
        else:
            completion = ChatCompletion.construct(usage=None)
        error = cls(completion=completion)
    else:
        error = cls(text)
    attrs = error.__dict__
    # The HTTP response the synchronous path would have raised with; `.response` is the object itself.
    attrs["http_response"] = http_response
    attrs["response"] = obj
    attrs["contract"] = result
    attrs["retryable"] = bool(result.get("retryable"))
    attrs["throttling"] = bool(result.get("throttling"))
    attrs["contract_result"] = result
    attrs[_MARK] = True
    return error


def raise_for_status(
    obj: T,
    *,
    headers: Any = None,
    request: Any = None,
    base_url: Optional[str] = None,
    profile: str = "default",
    contract: Optional["Contract"] = None,
) -> T:
    """Returns ``obj`` unchanged when the contract classifies it as completed or pending; otherwise raises the
    installed openai's class for its kind (``openai.RateLimitError``, …) with the API's message, ``code``,
    ``param``, ``type`` and ``request_id``, plus ``.contract`` (the result) and ``.response`` (``obj``, untouched).

    ``obj``: a Response, batch, fine-tuning job, vector-store file, run, chat completion, stream event, webhook event
    or HTTP envelope ``{"http_status", "headers", "body"}``, as an openai pydantic model or a dict.
    """
    from . import load

    if contract is None:
        contract = load(profile)
    data = to_json(obj)
    result = contract.classify(data)
    if result["outcome"] == "completed" or result["outcome"] == "pending":
        return obj
    raise contract_error(obj, result, contract=contract, headers=headers, request=request, base_url=base_url)

