"""The error contract in Python: spec/PROCEDURE.md applied to generated/contract.json, and the real openai exception
for a result.

One file with no dependency (the openai package is imported only by ``exception_for``), so that it can be copied
into any project. Typical use with a background Response::

    from error_contract import Contract

    contract = Contract.load("contract.json")          # generated/contract.json of the error-contract package
    response = client.responses.retrieve(response_id)
    result = contract.classify(response.model_dump())  # {"outcome": "failed", "kind": "rate_limit_error", ...}
    contract.raise_for_result(result, body=response.model_dump())   # raises openai.RateLimitError

``classify`` is total (every JSON value gets a result, nothing raises) and returns shared result dicts: do not
mutate them.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Optional, Tuple

__all__ = ["Contract", "Result"]


class Result(dict):
    """A result: a dict with the keys of result.schema.json. ``json`` is its serialisation, computed once."""

    __slots__ = ("json",)


_UNSET = object()
_SETTLED_NOT = ("completed", "pending")


def _is_object(value: Any) -> bool:
    return type(value) is dict


def _compile_reader(path: str) -> Callable[[dict], Any]:
    """A reader of one value at a dotted path; a `[]` segment reads the first non-null element of an array."""
    if path == "$":
        return lambda o: o
    steps: List[Tuple[str, bool]] = []
    for part in path.split("."):
        steps.append((part[:-2], True) if part.endswith("[]") else (part, False))

    def read(obj: dict) -> Any:
        value: Any = obj
        for key, each in steps:
            if type(value) is not dict:
                return _UNSET
            value = value.get(key, _UNSET)
            if each:
                if type(value) is list:
                    value = next((v for v in value if v is not None), _UNSET)
                else:
                    return _UNSET
        return value

    return read


def _compile_read_all(path: str) -> Optional[Callable[[dict], list]]:
    """For a status path with `[]`: every value, one per object element of the array, in order."""
    index = path.find("[]")
    if index < 0:
        return None
    head = _compile_reader(path[:index])
    rest = path[index + 2 :].lstrip(".")
    tail = _compile_reader(rest) if rest else None

    def read_all(obj: dict) -> list:
        items = head(obj)
        if type(items) is not list:
            return []
        return [(tail(item) if tail else item) for item in items if type(item) is dict]

    return read_all


def _is_number(value: Any) -> bool:
    return (type(value) is int or type(value) is float) and value == value


class Contract:
    """The decision tables of one contract.json, built once; ``classify`` only follows them."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.version: str = data["meta"]["version"]
        self.kinds: dict = data["kinds"]
        fields: dict = data["fields"]
        self._fields = fields
        self._values: Dict[str, Dict[str, dict]] = {fid: {} for fid in fields}
        self._fallback: Dict[str, Optional[dict]] = {fid: None for fid in fields}
        for entry in data["entries"]:
            if entry["value"] == "*":
                self._fallback[entry["field"]] = entry
            else:
                self._values[entry["field"]][entry["value"]] = entry
        self._results: Dict[tuple, Result] = {}
        invalid_entry = self._fallback.get("observation")
        if invalid_entry is None:
            raise ValueError("contract has no observation/* entry")
        self.invalid = self._result(invalid_entry, invalid_entry.get("outcome", "invalid"))
        self._readers: Dict[str, Callable[[dict], Any]] = {fid: _compile_reader(f["path"]) for fid, f in fields.items()}
        self._status_by_object: Dict[str, str] = {}
        self._event: Optional[str] = None
        self._http: Optional[str] = None
        self._refinement: Optional[str] = None
        for fid, field in fields.items():
            role = field["role"]
            if role == "status" and "dispatch" in field:
                self._status_by_object[field["dispatch"]["object"]] = fid
            elif role == "event":
                self._event = fid
            elif role == "http":
                self._http = fid
            elif role == "http_refinement":
                self._refinement = fid
        self._read_all = {fid: _compile_read_all(fields[fid]["path"]) for fid in self._status_by_object.values()}

    @classmethod
    def load(cls, path: str) -> "Contract":
        with open(path, "r", encoding="utf-8") as f:
            return cls(json.load(f))

    # -- results -------------------------------------------------------------------------------------------------

    def _result(self, entry: dict, outcome: str, http_status: Any = _UNSET, retryable: Any = _UNSET) -> Result:
        status = entry.get("http_status") if http_status is _UNSET else http_status
        retry = entry.get("retryable", False) if retryable is _UNSET else retryable
        key = (entry["id"], outcome, status, retry)
        result = self._results.get(key)
        if result is None:
            kind = entry.get("kind")
            sdk = None
            if kind is not None:
                binding = self.kinds[kind]
                sdk = {"python": "openai." + binding["python"]["class"], "node": binding["node"]["class"]}
            result = Result(
                outcome=outcome,
                kind=kind,
                retryable=bool(retry),
                throttling=entry.get("throttling", False),
                http_status=status,
                entry=entry["id"],
                sdk=sdk,
                contract_version=self.version,
            )
            result.json = json.dumps(result, separators=(",", ":"))
            self._results[key] = result
        return result

    # -- steps 3 and 4 -------------------------------------------------------------------------------------------

    def _lookup(self, field_id: str, value: Any) -> Optional[dict]:
        if type(value) is not str:
            return None
        found = self._values[field_id].get(value)
        if found is None:
            shared = self._fields[field_id].get("shares_values_with")
            if shared is not None:
                found = self._values[shared].get(value)
        return found

    def _refine(self, entry: dict, obj: dict) -> Result:
        outcome = entry.get("outcome", "failed")
        fallback_field = None
        for field_id in entry["refined_by"]:
            value = self._readers[field_id](obj)
            match = self._lookup(field_id, value)
            if match is not None:
                return self._result(match, outcome)
            if type(value) is str and fallback_field is None:
                fallback_field = field_id
        fallback = self._fallback[fallback_field or entry["refined_by"][0]]
        return self._result(fallback, outcome) if fallback is not None else self.invalid

    def _settled(self, entry: dict) -> bool:
        if "delegate" in entry:
            return False
        default = "failed" if "refined_by" in entry else "invalid"
        return entry.get("outcome", default) not in _SETTLED_NOT

    def _decide(self, entry: Optional[dict], obj: dict) -> Result:
        if entry is None:
            return self.invalid
        if "delegate" in entry:
            return self._delegate(entry["delegate"], obj)
        if "refined_by" in entry:
            return self._refine(entry, obj)
        partial = entry.get("partial_failure")
        if partial is not None:
            count = self._readers[partial](obj)
            threshold = self._values[partial].get(">0")
            if threshold is not None and _is_number(count) and count > 0:
                return self._result(threshold, threshold.get("outcome", "failed"))
        return self._result(entry, entry.get("outcome", "invalid"))

    def _status(self, field_id: str, obj: dict) -> Result:
        values = self._values[field_id]
        fallback = self._fallback[field_id]
        read_all = self._read_all.get(field_id)
        if read_all is not None:
            # Several values (chat choices): the first whose entry settles the outcome decides, else the first.
            first = _UNSET
            for value in read_all(obj):
                entry = (values.get(value) if type(value) is str else None) or fallback
                if entry is not None and self._settled(entry):
                    return self._decide(entry, obj)
                if first is _UNSET:
                    first = entry
            return self._decide(fallback if first is _UNSET else first, obj)
        value = self._readers[field_id](obj)
        entry = (values.get(value) if type(value) is str else None) or fallback
        return self._decide(entry, obj)

    # -- step 5 --------------------------------------------------------------------------------------------------

    def _delegate(self, key: str, event: dict) -> Result:
        inner = event.get(key, _UNSET)
        if type(inner) is not dict:
            return self.invalid
        name = inner.get("object", _UNSET)
        if name is _UNSET:
            name = key
        elif type(name) is not str:
            return self.invalid
        field_id = self._status_by_object.get(name)
        return self._status(field_id, inner) if field_id is not None else self.invalid

    # -- step 2 --------------------------------------------------------------------------------------------------

    def _body(self, body: Any) -> Result:
        if type(body) is not dict:
            return self.invalid
        name = body.get("object", _UNSET)
        if type(name) is str:
            field_id = self._status_by_object.get(name)
            return self._status(field_id, body) if field_id is not None else self.invalid
        if name is _UNSET and self._event is not None:
            event_type = body.get("type", _UNSET)
            if type(event_type) is str:
                entry = self._values[self._event].get(event_type) or self._fallback[self._event]
                return self._decide(entry, body)
        return self.invalid

    # -- step 1 --------------------------------------------------------------------------------------------------

    @staticmethod
    def _should_retry(headers: Any) -> Optional[bool]:
        if type(headers) is not dict:
            return None
        for name, value in headers.items():
            if len(name) == 14 and name.lower() == "x-should-retry":
                if value == "true" and type(value) is str:
                    return True
                if value == "false" and type(value) is str:
                    return False
        return None

    def _http_error(self, status: int, envelope: dict) -> Result:
        if self._http is None:
            return self.invalid
        values = self._values[self._http]
        by_status = values.get(str(status)) or (values.get(">=500") if status >= 500 else None) or self._fallback[self._http]
        if by_status is None:
            return self.invalid
        header = self._should_retry(envelope["headers"]) if "headers" in envelope else None
        entry = by_status
        body = envelope.get("body", _UNSET)
        if self._refinement is not None and type(body) is dict:
            error = body.get("error", _UNSET)
            code = error.get("code", _UNSET) if type(error) is dict else body.get("code", _UNSET)
            refined = self._values[self._refinement].get(code) if type(code) is str else None
            if refined is not None and refined.get("kind") == by_status.get("kind"):
                entry = refined
        retry = entry.get("retryable", False) if header is None else header
        return self._result(entry, "failed", status, retry)

    def classify(self, observation: Any) -> Result:
        """Classifies one observation: an envelope {http_status, headers?, body?} or a bare body seen with HTTP 200."""
        if type(observation) is not dict:
            return self.invalid
        if "http_status" not in observation:
            return self._body(observation)
        status = observation["http_status"]
        if type(status) is float and status.is_integer():
            status = int(status)
        if type(status) is not int or status < 100 or status > 599:
            return self.invalid
        if 200 <= status < 300:
            return self._body(observation["body"]) if "body" in observation else self.invalid
        return self._http_error(status, observation)

    # -- the real openai exceptions ------------------------------------------------------------------------------

    def exception_for(self, result: dict, body: Any = None, message: Optional[str] = None, url: str = "https://api.openai.com/v1/responses") -> Optional[BaseException]:
        """The openai exception the synchronous path would raise for this result (None when kind is null).

        The exception carries ``retryable``, ``throttling`` and ``contract_result`` (the result) as attributes, and
        ``body`` as the SDK's exceptions do, so that existing ``except openai.RateLimitError`` blocks and retry
        policies work unchanged for background failures.
        """
        kind = result.get("kind")
        if kind is None:
            return None
        import openai  # deferred: classification itself needs no SDK
        import openai._exceptions as sdk_exceptions

        httpx = getattr(sdk_exceptions, "httpx2", None) or getattr(sdk_exceptions, "httpx")
        class_name = self.kinds[kind]["python"]["class"]
        cls = getattr(openai, class_name)
        text = message or f"{result.get('entry')}: {self._summary(result.get('entry'))}"
        request = httpx.Request("GET", url)
        status = result.get("http_status")
        if issubclass(cls, openai.APIStatusError):
            response = httpx.Response(status if type(status) is int else 500, request=request)
            error = cls(text, response=response, body=body)
        elif issubclass(cls, openai.APIResponseValidationError):
            error = cls(httpx.Response(200, request=request), body, message=text)
        elif issubclass(cls, openai.APITimeoutError):
            error = cls(request=request)
        elif issubclass(cls, openai.APIConnectionError):
            error = cls(message=text, request=request)
        elif issubclass(cls, openai.APIError):
            error = cls(text, request, body=body)
        elif class_name in ("LengthFinishReasonError", "ContentFilterFinishReasonError"):
            from openai.types.chat import ChatCompletion

            completion = ChatCompletion.model_construct(**body) if type(body) is dict and body.get("object") == "chat.completion" else ChatCompletion.model_construct(usage=None)
            error = cls(completion=completion)
        else:
            error = cls(text)
        error.retryable = result.get("retryable", False)  # type: ignore[attr-defined]
        error.throttling = result.get("throttling", False)  # type: ignore[attr-defined]
        error.contract_result = result  # type: ignore[attr-defined]
        return error

    def raise_for_result(self, result: dict, body: Any = None, message: Optional[str] = None) -> None:
        """Raises the openai exception for a result whose kind is not null; returns for a result without a kind."""
        error = self.exception_for(result, body=body, message=message)
        if error is not None:
            raise error

    def _summary(self, entry_id: Any) -> str:
        for entry in self.data["entries"]:
            if entry["id"] == entry_id:
                return entry.get("summary", "")
        return ""
