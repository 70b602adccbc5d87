"""The decision procedure (spec/PROCEDURE.md) applied to a contract.json: the package's classifier.

No dependency: the openai package is imported only when an exception is built. ``classify`` is total (every JSON
value gets a result, nothing raises) and returns shared result dicts: do not mutate them. ``Contract(data,
profile="openai")`` classifies under one of ``contract.profiles``.

``Contract._general`` is the procedure step by step; ``Contract.classify`` is the function of _fast.py made once per
contract (``_compile_classify``, over the tables of ``_fast_tables``) that answers the common shapes from tables and
everything else by ``_general``, with the same result object (tests/test_fast_paths.py).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Callable, Dict, List, Optional, Tuple

from ._fast import Decide, Delegating, HttpStep, Items, Refine, Remembered, Ruled, fast_classify, header_filter
from ._hints import Hints

__all__ = ["Contract", "Result"]


class Result(dict):
    """A result: a dict with the keys of result.schema.json. ``json`` is its serialisation, computed once."""

    __slots__ = ("json",)


_UNSET = object()
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SETTLED_NOT = ("completed", "pending")

# The headers that can change a result (lower case): an envelope holding one is classified by the general path, so
# a field read from a header (a per-call retry delay) is added there, and the shared results of the fast path stay.
_DECIDING_HEADERS = frozenset(["x-should-retry"])


# Decision kinds (the first item of a decision tuple).
_RESULT, _REFINE, _COUNT, _ITEMS, _DELEGATE, _YIELDS = range(6)


def _compile_reader(path: str) -> Callable[[dict], Any]:
    """A reader of one value at a dotted path; a `[]` segment reads the first non-null element of an array."""
    if path == "$":
        return lambda o: o
    steps: List[Tuple[str, bool]] = []
    for part in path.split("."):
        steps.append((part[:-2], True) if part.endswith("[]") else (part, False))
    # The common shapes, specialised: one key, or two (`error.code`), without arrays.
    if len(steps) == 1 and not steps[0][1]:
        only = steps[0][0]
        return lambda o: o.get(only, _UNSET) if type(o) is dict else _UNSET
    if len(steps) == 2 and not steps[0][1] and not steps[1][1]:
        outer, inner = steps[0][0], steps[1][0]

        def read_two(o: dict) -> Any:
            if type(o) is not dict:
                return _UNSET
            value = o.get(outer, _UNSET)
            return value.get(inner, _UNSET) if type(value) is dict else _UNSET

        return read_two

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


def _is_error_object(value: Any) -> bool:
    """An error object as ``reported_error`` means it: a dict whose code, message or type is present and not None."""
    return type(value) is dict and (value.get("code") is not None or value.get("message") is not None or value.get("type") is not None)


def _is_flagged(results: list) -> bool:
    """Whether one of the content filter results read (objects of categories) has a category with filtered true."""
    for categories in results:
        if type(categories) is dict:
            for category in categories.values():
                if type(category) is dict and category.get("filtered") is True:
                    return True
    return False


def _compile_read_all(path: str) -> Optional[Callable[[dict], list]]:
    """For a path with `[]`: the value at the rest of the path in every object element of the array, in order."""
    index = path.find("[]")
    if index < 0:
        return None
    head = _compile_reader(path[:index])
    rest = path[index + 2 :]
    if rest.startswith("."):
        rest = rest[1:]
    tail = _compile_reader(rest) if rest else None

    def read_all(obj: dict) -> list:
        items = head(obj)
        if type(items) is not list:
            return []
        return [(tail(item) if tail else item) for item in items if type(item) is dict]

    return read_all


def _unnamed_delegated(entry: dict) -> str:
    """The object a delegating entry reads an embedded value without `object` as: its delegate_object, else its key."""
    return entry.get("delegate_object", entry["delegate"])


def _is_key(path: str) -> bool:
    """A path that is one key of the object it is read from (no nesting, no array, not the whole value)."""
    return path != "" and path != "$" and "." not in path and "[" not in path


def _message_path(path: str) -> Optional[str]:
    """Where a reason field's message is: ``message`` beside the value it reads (``error.code`` -> ``error.message``,
    ``code`` -> ``message``), the error object a message rule reads; none for an items path."""
    if "[]" in path:
        return None
    head, dot, _ = path.rpartition(".")
    return f"{head}.message" if dot else "message"


def _sdk_object(sdks: dict, kind: dict) -> dict:
    """SDK id -> the kind's class as code writes it: the binding's `qualified`, else the SDK's template filled in."""
    out = {}
    for sdk_id, sdk in sdks.items():
        binding = kind.get(sdk_id)
        if binding is not None:
            out[sdk_id] = binding.get("qualified") or sdk["qualified"].replace("{module}", binding["module"]).replace("{class}", binding["class"])
    return out


def _is_number(value: Any) -> bool:
    return (type(value) is int or type(value) is float) and value == value


# An envelope's HTTP status is a three-digit integer (RFC 9110 section 15), 100-999: the SDKs raise every status
# from 500 as an error of 500 or more, so one HTTP does not define (600-999) is read as the >=500 entry. An integer
# code read as a status (integer_status) is one HTTP defines, 100-599.
HTTP_STATUS_MAX = 999
CODE_STATUS_MAX = 599


def _integral(value: Any, highest: int) -> Optional[int]:
    """An integral number from 100 to ``highest`` (a JSON number: an int, or a float with an integral value), else None."""
    if type(value) is int:
        return value if 100 <= value <= highest else None
    if type(value) is float and value.is_integer() and 100 <= value <= highest:
        return int(value)
    return None


def _http_status(value: Any) -> Optional[int]:
    """An envelope's HTTP status: an integral number from 100 to 999, else None."""
    return _integral(value, HTTP_STATUS_MAX)


def _code_status(value: Any) -> Optional[int]:
    """An integer code read as an HTTP status: an integral number from 100 to 599, else None."""
    return _integral(value, CODE_STATUS_MAX)


_MAX_SAFE_INTEGER = 2**53 - 1


def _code_string(value: Any) -> Optional[str]:
    """A code or reason as the string it is looked up by: a str as it is, an integer from 0 to 2**53 - 1 (an int, or a
    float with an integral value) as its decimal digits, else None."""
    if type(value) is str:
        return value
    if type(value) is int:
        return str(value) if 0 <= value <= _MAX_SAFE_INTEGER else None
    if type(value) is float and value.is_integer() and 0 <= value <= _MAX_SAFE_INTEGER:
        return str(int(value))
    return None


_RELAYED_STATUS = re.compile(r"[1-5][0-9][0-9]")


def _relayed_status(value: Any) -> Optional[int]:
    """The status a relay wrote beside a code (relayed_status): a str of three ASCII digits from 100 to 599, else None."""
    if type(value) is str and len(value) == 3 and _RELAYED_STATUS.fullmatch(value):
        return int(value)
    return None


def _code_units(text: str) -> bytes:
    """A sort key that orders strings by UTF-16 code units, as JavaScript compares them."""
    return text.encode("utf-16-be", "surrogatepass")


# Step 2's wrappers: the key of an error body, which a wrapper holds one level down; where a wrapped body records the
# HTTP status it came with (as a batch output line's response records it); a JSON:API document's errors, each with
# its HTTP status at `status` (jsonapi.org, "Error Objects").
_ERROR_KEY = "error"
_RECORDED_STATUS_KEY = "status_code"
_ERRORS_KEY = "errors"


def _error_status(value: Any) -> Optional[int]:
    """A JSON:API error object's status: an error status (400-599) as a str of three digits or as an integer."""
    status = _relayed_status(value) if type(value) is str else _http_status(value)
    return status if status is not None and 400 <= status <= 599 else None


class Contract:
    """The decision tables of one contract.json (under one profile), built once; ``classify`` only follows them."""

    def __init__(self, data: dict, profile: str = "default") -> None:
        self.data = data
        self.version: str = data["meta"]["version"]
        self.kinds: dict = data["kinds"]
        # Each kind's class in every SDK of the registry, as code writes it: a result's `sdk` object.
        self._sdk_objects = {kind_id: _sdk_object(data.get("sdks", {}), kind) for kind_id, kind in self.kinds.items()}
        self.profile = profile
        fields: dict = data["fields"]
        self._fields = fields
        profiles = data.get("profiles") or {}
        if profile == "default":
            chosen: dict = {}
        elif profile in profiles:
            chosen = profiles[profile]
        else:
            raise ValueError(f'unknown profile "{profile}" (known: {", ".join(["default", *profiles])})')
        excluded = set(chosen.get("exclude_fields") or [])
        overrides = chosen.get("overrides") or {}

        # Entries as this profile sees them. An entry deprecated in favour of one of the same value in another field
        # (a code moved into a shared vocabulary) takes no part: its replacement decides through shares_values_with.
        values: Dict[str, Dict[str, dict]] = {fid: {} for fid in fields}
        suffixes: Dict[str, List[Tuple[str, dict]]] = {fid: [] for fid in fields}
        fallback: Dict[str, Optional[dict]] = {fid: None for fid in fields}
        live: Dict[str, dict] = {}
        for original in data["entries"]:
            deprecated = original.get("deprecated")
            if type(deprecated) is dict and type(deprecated.get("replaced_by")) is str:
                by = deprecated["replaced_by"]
                if by[by.find("/") + 1 :] == original["value"]:
                    continue
            entry = original
            override = overrides.get(original["id"])
            if override:
                entry = dict(original)
                for key in ("kind", "retryable", "throttling", "action"):
                    if key in override:
                        entry[key] = override[key]
            live[entry["id"]] = entry
            fid, value = entry["field"], entry["value"]
            if value == "*":
                fallback[fid] = entry
            elif len(value) > 1 and value.startswith("*") and fields[fid]["role"] in ("event", "status"):
                suffixes[fid].append((value[1:], entry))
            else:
                values[fid][value] = entry
        self._results: Dict[tuple, Result] = {}
        # The actions (since 3.0.0): each one's retry class, the policy x-should-retry and the horizon follow, and the
        # delay hints of envelopes (None for an older contract, whose results carry no delay and a null action).
        self._action_retry: Dict[str, str] = {k: a["retry"] for k, a in (data.get("actions") or {}).items()}
        self._policy: Optional[dict] = data.get("retry_policy")
        self._hints: Optional[Hints] = Hints(data, self._action_retry, self._sdk_objects) if data.get("hints") and self._policy else None

        observation = fallback.get("observation")
        if observation is None:
            raise ValueError("contract has no observation/* entry")
        self.invalid = invalid = self._result(observation, observation.get("outcome", "invalid"))
        invalid_decision = (_RESULT, invalid, True, None)

        # The http field's entry for each status 100-999 (step 1), shared by envelopes and integer codes (100-599).
        http_entry_of: List[Optional[dict]] = [None] * (HTTP_STATUS_MAX + 1)
        http_field = next((fid for fid, f in fields.items() if f["role"] == "http"), None)
        if http_field is not None:
            own = values[http_field]
            for status in range(100, HTTP_STATUS_MAX + 1):
                entry = own.get(str(status)) or (own.get(">=500") if status >= 500 else None) or fallback[http_field]
                http_entry_of[status] = entry

        def values_of(fid: str) -> Dict[str, dict]:
            """A field's own values over its vocabulary's."""
            shared = fields[fid].get("shares_values_with")
            merged = dict(values[shared]) if shared is not None else {}
            merged.update(values[fid])
            return merged

        def refinements_for(deferring: dict) -> list:
            outcome = deferring.get("outcome", "failed")
            out = []
            for fid in deferring.get("refined_by", []):
                if fid in excluded:
                    continue
                field = fields[fid]
                # A reason entry with an outcome of its own replaces the consulting entry's.
                results = {v: self._result(e, e.get("outcome", outcome)) for v, e in values_of(fid).items()}
                shared = field.get("shares_values_with")
                by_status = None
                if shared is not None and fields[shared].get("integer_status"):
                    by_status = [None] * (CODE_STATUS_MAX + 1)
                    for status in range(100, CODE_STATUS_MAX + 1):
                        if http_entry_of[status] is not None:
                            by_status[status] = self._result(http_entry_of[status], outcome, status)
                own_fallback = fallback[fid]
                # A value whose entry names relayed_status: the status a relay wrote beside it decides, as http's.
                path = field["path"]
                beside = path[: path.rindex(".") + 1] if "." in path else ""
                relayed = {v: _compile_reader(beside + e["relayed_status"]) for v, e in values_of(fid).items() if "relayed_status" in e}
                relayed_results = {
                    status: self._result(http_entry_of[status], outcome, status) for status in range(100, CODE_STATUS_MAX + 1) if http_entry_of[status] is not None
                } if relayed else None
                message = _message_path(path)
                own = self._result(own_fallback, outcome) if own_fallback is not None else invalid
                out.append((_compile_reader(path), results, by_status, own, path, _compile_reader(message) if message is not None else None, relayed or None, relayed_results))
            return out

        def envelope_of(entry: dict) -> Optional[tuple]:
            envelope = entry.get("envelope")
            if not envelope:
                return None
            headers = envelope.get("headers")
            return (_compile_reader(envelope["http_status"]), _compile_reader(headers) if headers is not None else None, _compile_reader(envelope["body"]))

        def yields_for(entry: dict) -> Optional[list]:
            """yields_to: the yielded entry's reason fields, each with its listed values whose result settles an outcome."""
            target = live.get(entry["yields_to"]) if "yields_to" in entry else None
            if target is None:
                return None
            out = []
            for read, results, *_rest in refinements_for(target):
                settling = {v: r for v, r in results.items() if r["outcome"] not in _SETTLED_NOT}
                if settling:
                    out.append((read, settling))
            return out or None

        def decision_for(entry: dict) -> tuple:
            decision = deciding(entry)
            yields = yields_for(entry)
            # A completed status that yields: a listed stop reason beside it decides first (_decide).
            return decision if yields is None or decision[0] == _REFINE or decision[0] == _DELEGATE else (_YIELDS, yields, decision[2], decision)

        def deciding(entry: dict) -> tuple:
            envelope = envelope_of(entry)
            if "delegate" in entry:
                # With a kind of its own, the entry decides when its key holds no object.
                own = self._result(entry, entry.get("outcome", "pending")) if "kind" in entry else None
                return (_DELEGATE, entry["delegate"], False, own, _unnamed_delegated(entry))
            if "refined_by" in entry:
                refinements = refinements_for(entry)
                if not refinements:
                    # Every reason field is excluded by the profile: the first field's fallback still answers.
                    first = fallback[entry["refined_by"][0]]
                    return (_RESULT, self._result(first, entry.get("outcome", "failed")) if first is not None else invalid, True, envelope)
                return (_REFINE, refinements, entry.get("outcome") not in _SETTLED_NOT, envelope)
            outcome = entry.get("outcome", "invalid")
            settled = outcome not in _SETTLED_NOT
            result = self._result(entry, outcome)
            partial = entry.get("partial_failure")
            if partial is not None:
                field = fields[partial]
                if field["role"] == "count":
                    above = values[partial].get(">0")
                    if above is not None:
                        return (_COUNT, result, settled, _compile_reader(field["path"]), self._result(above, above.get("outcome", "failed")))
                else:
                    read_all = _compile_read_all(field["path"])
                    if read_all is not None:
                        # Only an item status that settles an outcome (failed) is a partial failure.
                        results = {v: self._result(e, e.get("outcome", "failed")) for v, e in values[partial].items() if e.get("outcome", "failed") not in _SETTLED_NOT}
                        return (_ITEMS, result, settled, read_all, results, field["path"])
            return (_RESULT, result, settled, envelope)

        def status_table(fid: str) -> tuple:
            path = fields[fid]["path"]
            by_value = {v: decision_for(e) for v, e in values[fid].items()}
            by_suffix = [(suffix, decision_for(e)) for suffix, e in suffixes[fid]]
            fallback_decision = decision_for(fallback[fid]) if fallback[fid] is not None else invalid_decision
            reported = fields[fid].get("reported_error")
            reported_error = (reported["key"], by_value[reported["value"]]) if reported is not None and reported["value"] in by_value else None
            # severity (a field of several values): each listed value's rank, most severe 0; any other ranks after them.
            severity = fields[fid].get("severity") or []
            # filter_results: (reads each element's content filter results, the value a flagged element reads as).
            filter_results = fields[fid].get("filter_results")
            flagged = (_compile_read_all(filter_results["path"]), filter_results["value"]) if filter_results is not None else None
            ranks = ({v: i for i, v in enumerate(severity)}, len(severity), flagged)
            return (_compile_reader(path), _compile_read_all(path), by_value, by_suffix, fallback_decision, reported_error, ranks)

        self._status_by_object: Dict[str, tuple] = {}
        # The path each object's status is read at (the fast paths of classify() read one-key paths inline).
        self._status_paths: Dict[str, str] = {}
        self._status_by_key: List[Tuple[str, tuple]] = []
        # (type, shape readers, table): a provider's own typed answer, tried before the stream-event rule.
        self._status_by_type: List[Tuple[str, List[Callable[[dict], Any]], tuple]] = []
        self._event: Optional[tuple] = None
        self._error_object: Optional[Tuple[frozenset, str]] = None
        self._otherwise: Optional[tuple] = None
        # (reader of the key, the values the reason field lists, table): step 2.7's flat envelopes (see _listed_code).
        self._status_by_listed: List[Tuple[Callable[[dict], Any], frozenset, tuple]] = []
        self._http_entry_of = http_entry_of
        self._http_default: List[Optional[Result]] = [None] * (HTTP_STATUS_MAX + 1)
        self._http_refine_by_kind: Dict[Any, list] = {}
        self._has_http = http_field is not None
        # Field ids in code-unit order: the order key-dispatched fields and http refinements are tried in.
        field_ids = sorted(fields, key=_code_units)
        for fid in field_ids:
            field = fields[fid]
            role = field["role"]
            dispatch = field.get("dispatch") or {}
            if role == "status" and "object" in dispatch:
                table = self._status_by_object[dispatch["object"]] = status_table(fid)
                self._status_paths[dispatch["object"]] = field["path"]
                for alias in dispatch.get("object_aliases") or []:
                    self._status_by_object[alias] = table
                    self._status_paths[alias] = field["path"]
            elif role == "status" and "key" in dispatch:
                self._status_by_key.append((dispatch["key"], status_table(fid)))
            elif role == "status" and "type" in dispatch:
                readers = [_compile_reader(p) for p in dispatch.get("shape") or []]
                self._status_by_type.append((dispatch["type"], readers, status_table(fid)))
            elif role == "status" and dispatch.get("otherwise") is True:
                self._otherwise = status_table(fid)
            elif role == "status" and "listed_by" in dispatch:
                # A reason field the profile excludes selects nothing, as if absent.
                reason = dispatch["listed_by"]
                if reason not in excluded:
                    listed = frozenset(values_of(reason))
                    self._status_by_listed.append((_compile_reader(fields[reason]["path"]), listed, status_table(fid)))
            elif role == "event":
                self._event = status_table(fid)
                error_object = field.get("error_object")
                if error_object is not None:
                    # (the error types, the object such a body is classified as): see _named.
                    self._error_object = (frozenset(values[error_object["types"]]), error_object["object"])
        # Step 2's wrappers (see _wrapped): the entry the field dispatched on `error` gives when its error is no error
        # object (its first reason field's fallback), which, like invalid, lets a wrapper be read.
        self._error_body_fallback: Optional[str] = None
        for key, table in self._status_by_key:
            if key == _ERROR_KEY:
                decision = table[4]
                if decision[0] == _REFINE:
                    self._error_body_fallback = decision[1][0][3]["entry"]
                elif decision[0] == _RESULT:
                    self._error_body_fallback = decision[1]["entry"]
                break
        # Step 2's last resorts (see _unnamed): id prefixes, then shapes, in field-id order.
        status_fields = [fields[fid] for fid in field_ids if fields[fid]["role"] == "status"]
        self._id_prefixes: List[Tuple[str, str]] = [
            (f["dispatch"]["id_prefix"], f["dispatch"]["object"]) for f in status_fields
            if "object" in (f.get("dispatch") or {}) and "id_prefix" in f["dispatch"]
        ]
        self._shapes: List[Tuple[List[Callable[[dict], Any]], str]] = [
            ([_compile_reader(p) for p in f["dispatch"]["shape"]], f["dispatch"]["object"]) for f in status_fields
            if "object" in (f.get("dispatch") or {}) and "shape" in f["dispatch"]
        ]
        # The status key of each dispatched object whose status path is one plain key: where delegate_status goes.
        self._status_key: Dict[str, str] = {
            name: f["path"] for f in status_fields
            if "object" in (f.get("dispatch") or {}) and _PLAIN_KEY.match(f["path"])
            for name in [f["dispatch"]["object"], *(f["dispatch"].get("object_aliases") or [])]
        }
        self._delegating: Dict[str, Tuple[str, str, str]] = {
            value: (e["delegate"], e["delegate_status"], _unnamed_delegated(e)) for fid in field_ids if fields[fid]["role"] == "event"
            for value, e in values[fid].items() if "delegate" in e and "delegate_status" in e
        }
        # (path, values) of each HTTP refinement field, in the order they are consulted.
        refinements_of_http = [(fields[fid]["path"], values_of(fid)) for fid in field_ids if self._has_http and fields[fid]["role"] == "http_refinement" and fid not in excluded]
        self._http_refinements: List[Tuple[Callable[[dict], Any], Dict[str, dict]]] = [(_compile_reader(path), entries) for path, entries in refinements_of_http]
        self._http_refinement_paths: List[str] = [path for path, _entries in refinements_of_http]
        self._profiles: Dict[str, "Contract"] = {}
        # A value that is not a dict: an array is read by _array (Gemini's stream of responses), anything else invalid.
        invalid_of = lambda observation: self._array(observation) if type(observation) is list else invalid  # noqa: E731
        #: ``classify(observation, profile=self.profile)``: see _compile_classify.
        self.classify: Callable[..., Result] = self._compile_classify(invalid_of, lambda profile, observation: self.with_profile(profile).classify(observation))

    @classmethod
    def load(cls, path: str, profile: str = "default") -> "Contract":
        with open(path, "r", encoding="utf-8") as f:
            return cls(json.load(f), profile)

    # -- results -------------------------------------------------------------------------------------------------

    def _result(self, entry: dict, outcome: str, http_status: Any = _UNSET, retryable: Any = _UNSET) -> Result:
        status = entry.get("http_status") if http_status is _UNSET else http_status
        retry = entry.get("retryable", False) if retryable is _UNSET else retryable
        key = (entry["id"], outcome, status, retry)
        result = self._results.get(key)
        if result is None:
            kind = entry.get("kind")
            sdk = None if kind is None else dict(self._sdk_objects[kind])
            result = Result(
                outcome=outcome,
                kind=kind,
                retryable=bool(retry),
                throttling=entry.get("throttling", False),
                http_status=status,
                entry=entry["id"],
                sdk=sdk,
                retry_after_ms=None,
                action=self._action(entry, bool(retry)),
                contract_version=self.version,
            )
            result.json = json.dumps(result, separators=(",", ":"))
            self._results[key] = result
        return result

    def _action(self, entry: dict, retry: bool) -> Optional[str]:
        """The entry's action, unless x-should-retry reversed its retry decision against it: then the server's word."""
        own = entry.get("action")
        policy = self._policy
        if own is None or policy is None or retry == bool(entry.get("retryable", False)):
            return own
        kind = self._action_retry.get(own)
        if retry and kind == "no":
            return policy["should_retry_true"]
        if not retry and kind in ("in_run", "later"):
            return policy["should_retry_false"]
        return own

    def _hinted(self, observation: dict, status: Any) -> Result:
        """An envelope that carries a delay hint: classified by the general path, then given its delay (_hints.py)."""
        code = _http_status(status)
        if code is None:
            return self.invalid
        headers = observation.get("headers", _UNSET)
        body = observation.get("body", _UNSET)
        result = self._http(code, headers, body, False)
        return self._hints.apply(result, headers, body, Result)  # type: ignore[union-attr]

    # -- steps 3 to 6 --------------------------------------------------------------------------------------------

    def _refine(self, refinements: list, obj: dict) -> Result:
        """Step 4: the first exact match decides; else the fallback of the first field holding a value, else of the
        first. A result of a kind some message rule is for is given to the rules with the message beside the value."""
        found = None
        at = None
        for refinement in refinements:
            read, results, by_status, fallback, _path, _message, relayed, relayed_results = refinement
            value = read(obj)
            # An integer is an HTTP status sent as the code (integer_status) first, else its decimal string.
            if by_status is not None and type(value) is not str:
                status = _code_status(value)
                if status is not None and by_status[status] is not None:
                    return self._ruled(by_status[status], refinement, obj)
            text = _code_string(value)
            if text is not None:
                match = results.get(text)
                if match is not None:
                    if relayed is not None and text in relayed:
                        status = _relayed_status(relayed[text](obj))
                        if status is not None and status in relayed_results:
                            return relayed_results[status]
                    return self._ruled(match, refinement, obj)
                if found is None:
                    found, at = fallback, refinement
        if found is not None:
            return self._ruled(found, at, obj)
        return self._ruled(refinements[0][3], refinements[0], obj)

    def _ruled(self, result: Result, refinement: tuple, obj: dict) -> Result:
        """A bare body's result after the message rules (only a result of a kind some rule is for is looked at)."""
        hints = self._hints
        message = refinement[5]
        if hints is None or message is None or result["kind"] not in hints.rule_kinds:
            return result
        return hints.rule(result, message(obj), True, Result)  # type: ignore[return-value]

    def _decide(self, decision: tuple, obj: dict, nested: bool) -> Any:
        """A decision's result, or (name, inner) when it delegates to an inner object (the caller dispatches it)."""
        kind = decision[0]
        if kind == _YIELDS:
            # yields_to: the first yielded reason field, in order, that reads a listed value decides.
            for read, results in decision[1]:
                value = read(obj)
                if type(value) is str:
                    match = results.get(value)
                    if match is not None:
                        return match
            decision = decision[3]
            kind = decision[0]
        if kind == _RESULT or kind == _REFINE:
            envelope = decision[3]
            if envelope is not None and not nested:
                status = _http_status(envelope[0](obj))
                if status is not None:
                    headers = envelope[1](obj) if envelope[1] is not None else _UNSET
                    return self._http(status, headers, envelope[2](obj), True)
            return decision[1] if kind == _RESULT else self._refine(decision[1], obj)
        if kind == _COUNT:
            count = decision[3](obj)
            return decision[4] if _is_number(count) and count > 0 else decision[1]
        if kind == _ITEMS:
            results = decision[4]
            for value in decision[3](obj):
                if type(value) is str:
                    match = results.get(value)
                    if match is not None:
                        return match
            return decision[1]
        # _DELEGATE: one level into an object; without `object`, the entry's delegate_object (else the key) names its kind.
        key = decision[1]
        inner = obj.get(key, _UNSET)
        if type(inner) is not dict:
            return decision[3] if decision[3] is not None else self.invalid
        name = inner.get("object", _UNSET)
        if name is _UNSET:
            return (decision[4], inner)
        if type(name) is not str:
            return self.invalid
        return (name, inner)

    def _status(self, table: tuple, obj: dict, nested: bool) -> Any:
        read, read_all, by_value, by_suffix, fallback, reported_error, (ranks, after, flagged) = table
        # reported_error: a body whose key holds an error object is decided before the path is read.
        if reported_error is not None and _is_error_object(obj.get(reported_error[0])):
            return self._decide(reported_error[1], obj, nested)
        if read_all is not None:
            # Several values (chat choices): of those whose decision settles the outcome, the most severe decides (the
            # first of equal rank), else the first value.
            first = None
            worst = None
            worst_rank = 0
            values = read_all(obj)
            # filter_results: a choice the content filter flags reads as its value too, ranked by severity.
            if flagged is not None and _is_flagged(flagged[0](obj)):
                values = [*values, flagged[1]]
            for value in values:
                decision = by_value.get(value) if type(value) is str else None
                if decision is None:
                    decision = fallback
                if decision[2]:
                    rank = ranks.get(value, after) if decision is not fallback else after
                    if rank == 0:
                        return self._decide(decision, obj, nested)
                    if worst is None or rank < worst_rank:
                        worst, worst_rank = decision, rank
                elif first is None:
                    first = decision
            if worst is not None:
                return self._decide(worst, obj, nested)
            return self._decide(fallback if first is None else first, obj, nested)
        return self._decide(self._lookup(table, read(obj)), obj, nested)

    @staticmethod
    def _lookup(table: tuple, value: Any) -> tuple:
        """An exact value, else the first `*<suffix>` entry the value ends with, else the fallback."""
        if type(value) is str:
            decision = table[2].get(value)
            if decision is not None:
                return decision
            for suffix, decision in table[3]:
                if value.endswith(suffix):
                    return decision
        return table[4]

    def _dispatch(self, outcome: Any, nested: bool) -> Result:
        """Follows delegations iteratively: each (name, inner) is dispatched by object name until a result."""
        while type(outcome) is not Result:
            name, inner = outcome
            table = self._status_by_object.get(name)
            if table is None:
                return self.invalid
            outcome = self._status(table, inner, nested)
        return outcome

    # -- step 2 --------------------------------------------------------------------------------------------------

    def _body(self, body: dict, nested: bool) -> Result:
        """Step 2 with its last resorts, then its wrappers (_wrapped) for a top-level body with neither object nor a
        string type that it finds invalid or whose error is no error object."""
        result = self._step2(body, nested)
        if nested or "object" in body or type(body.get("type", _UNSET)) is str:
            return result
        if result["outcome"] != "invalid" and (result["entry"] != self._error_body_fallback or _is_error_object(body.get(_ERROR_KEY))):
            return result
        wrapped = self._wrapped(body)
        return result if wrapped is None else wrapped

    def _array(self, body: list) -> Result:
        """A bare body that is an array: its first dict element, read as a bare body when it holds an own `error`
        key; only a failure names the array (Gemini's and Vertex AI's streamGenerateContent answer with an array of
        responses, an error as its element)."""
        for first in body:
            if type(first) is not dict:
                continue
            if _ERROR_KEY not in first:
                return self.invalid
            result = self._body(first, False)
            return result if result["outcome"] == "failed" else self.invalid
        return self.invalid

    def _wrapped(self, body: dict) -> Optional[Result]:
        """The failure a wrapper holds: an error body one level down (own keys in code-unit order; read without
        wrappers, by the status it records when it has one), else the first error object of a JSON:API errors array
        that states an error status, else the status of a problem details document (RFC 9457)."""
        for key in sorted((k for k in body if type(k) is str), key=_code_units):
            inner = body[key]
            if type(inner) is not dict or _ERROR_KEY not in inner:
                continue
            recorded = _http_status(inner.get(_RECORDED_STATUS_KEY))
            result = self._http(recorded, _UNSET, inner, True) if recorded is not None else self._step2(inner, False)
            if result["outcome"] == "failed":
                return result
        errors = body.get(_ERRORS_KEY)
        if type(errors) is list:
            for error in errors:
                if type(error) is not dict:
                    continue
                status = _error_status(error.get("status"))
                if status is not None:
                    return self._http(status, _UNSET, error, True)
                break
        # A problem details document (RFC 9457): its status member is a JSON number, beside a title or a detail.
        status = body.get("status")
        status = _error_status(status) if type(status) is int or type(status) is float else None
        if status is not None and (type(body.get("title")) is str or type(body.get("detail")) is str):
            return self._http(status, _UNSET, body, True)
        return None

    def _step2(self, body: dict, nested: bool) -> Result:
        """Step 2, then its last resorts for a body it finds invalid (only the invalid path pays for them):
        an empty `object` is as none; a null `object` is an object not named (its id prefix, shape or the shared status
        reads it); a body without object, string type or dispatch key is named by its id
        prefix, else by a field's shape, else read by the `otherwise` status field; a delegating event whose
        embedded object has no status reads it with the entry's delegate_status."""
        if "object" not in body and type(body.get("type", _UNSET)) is str:
            typed = self._by_id_prefix(body)
            if typed is not None:
                return self._named(typed, nested)
        result = self._named(body, nested)
        if result["outcome"] != "invalid":
            return result
        name = body.get("object", _UNSET)
        if type(name) is str and name == "":
            rest = {k: v for k, v in body.items() if k != "object"}
            again = self._named(rest, nested)
            return self._unnamed(rest, nested) if again is self.invalid and type(rest.get("type", _UNSET)) is not str else again
        if name is None:
            # A null `object` names no object, yet says the body is one: its id prefix, its shape or the shared
            # status reads it, never the stream-event or key-dispatch rules.
            return self._not_named({k: v for k, v in body.items() if k != "object"}, nested)
        if name is _UNSET:
            event_type = body.get("type", _UNSET)
            if type(event_type) is not str:
                return self._unnamed(body, nested) if result is self.invalid else result
            delegating = self._delegating.get(event_type)
            if delegating is None:
                return result
            key, status, delegated = delegating
            inner = body.get(key, _UNSET)
            if type(inner) is not dict:
                return result
            inner_name = inner.get("object", _UNSET)
            status_key = self._status_key.get(inner_name if type(inner_name) is str else delegated)
            if status_key is None or inner.get(status_key) is not None:
                return result
            filled = dict(inner)
            filled[status_key] = status
            with_status = dict(body)
            with_status[key] = filled
            return self._named(with_status, nested)
        return result

    def _by_id_prefix(self, body: dict) -> Optional[dict]:
        """The body as the object its own id names by its prefix (`resp_`, `evt_`, ...), else None: a typed body so
        named is that object, not a stream event (a webhook without `object`)."""
        ident = body.get("id", _UNSET)
        if type(ident) is str:
            for prefix, name in self._id_prefixes:
                if ident.startswith(prefix):
                    return dict(body, object=name)
        return None

    def _unnamed(self, body: dict, nested: bool) -> Result:
        """A body with no `object` (or an empty one), no string `type` and no dispatch key: an object not named, else a
        provider's flat envelope (step 2.7). A null `object` says the body is an object, so it never reaches step 2.7."""
        for key, _table in self._status_by_key:
            if key in body:
                return self.invalid
        return self._not_named(body, nested, True)

    def _not_named(self, body: dict, nested: bool, flat: bool = False) -> Result:
        """A body that is an object the procedure must name: by its id prefix, else its shape, else the shared status;
        with `flat`, a body nothing names is last read as a flat envelope (step 2.7)."""
        named = self._by_id_prefix(body)
        if named is not None:
            return self._named(named, nested)
        for readers, name in self._shapes:
            if any(read(body) is not _UNSET for read in readers):
                return self._named(dict(body, object=name), nested)
        otherwise = self._otherwise
        # Only a body that has a status: an empty or status-less body stays the observation's invalid result.
        if otherwise is not None and otherwise[0](body) is not _UNSET:
            return self._dispatch(self._status(otherwise, body, nested), nested)
        # Nothing names the body: a flat envelope whose code a listed_by field lists (step 2.7), else invalid.
        listed = self._listed_code(body, nested) if flat else None
        return self.invalid if listed is None else listed

    def _listed_code(self, body: dict, nested: bool) -> Optional[Result]:
        """Step 2.7: a provider's own flat envelope, named only by a code its listed_by field lists (a key as common as
        `code` holds other APIs' values too, which select nothing); None when no such field lists the body's value."""
        for read, listed, table in self._status_by_listed:
            code = _code_string(read(body))
            if code is not None and code in listed:
                return self._dispatch(self._status(table, body, nested), nested)
        return None

    def _named(self, body: dict, nested: bool) -> Result:
        name = body.get("object", _UNSET)
        if type(name) is str:
            return self._dispatch((name, body), nested)
        if name is _UNSET:
            event_type = body.get("type", _UNSET)
            # A provider's own typed answer (dispatch.type with a shape that reads a value) is no stream event.
            if type(event_type) is str:
                for typed, readers, table in self._status_by_type:
                    if event_type == typed and any(read(body) is not _UNSET for read in readers):
                        return self._dispatch(self._status(table, body, nested), nested)
            event = self._event
            if event is not None:
                if type(event_type) is str:
                    decision = self._lookup(event, event_type)
                    error_object = self._error_object
                    # An error object on its own (error_object): its type is no event's, but an error type.
                    if error_object is not None and decision is event[4] and event_type in error_object[0]:
                        if type(body.get("message")) is str:
                            return self._dispatch((error_object[1], body), nested)
                        # Such a type beside an error object (a client's copy of the SDK's error): a keyed body.
                        if not _is_error_object(body.get(_ERROR_KEY)):
                            return self._dispatch(self._decide(decision, body, nested), nested)
                    else:
                        return self._dispatch(self._decide(decision, body, nested), nested)
            for key, table in self._status_by_key:
                if key in body:
                    return self._dispatch(self._status(table, body, nested), nested)
        return self.invalid

    # -- step 1 --------------------------------------------------------------------------------------------------

    @staticmethod
    def _should_retry(headers: Any) -> Optional[bool]:
        # Headers whose names differ only in case are one HTTP header: several of them join into a value that is
        # never exactly true or false (as both SDKs read them), so only a single one decides.
        if type(headers) is not dict:
            return None
        found = None
        count = 0
        for name, value in headers.items():
            if type(name) is str and len(name) == 14 and name.lower() == "x-should-retry":
                count += 1
                found = value
        if count != 1 or type(found) is not str:
            return None
        if found == "true":
            return True
        if found == "false":
            return False
        return None

    def _http(self, status: int, headers: Any, body: Any, nested: bool) -> Result:
        """An HTTP response: a 2xx is its body; an error status, refined by the error object's code and type."""
        if 200 <= status < 300:
            return self._body(body, nested) if type(body) is dict else self.invalid
        by_status = self._http_entry_of[status]
        if by_status is None:
            return self.invalid
        header = None if headers is _UNSET or not headers else self._should_retry(headers)
        if self._http_refinements and type(body) is dict:
            # The error object as the SDKs take it: body.error when it is an object, else the body itself.
            error = body.get("error", _UNSET)
            if type(error) is not dict:
                error = body
            kind = by_status.get("kind")
            refinements = self._http_refine_by_kind.get(kind)
            if refinements is None:
                # A value refines only a status of the same kind: the class is always the one the SDK raises.
                refinements = self._http_refine_by_kind[kind] = [(read, {v: e for v, e in entries.items() if e.get("kind") == kind}) for read, entries in self._http_refinements]
            for read, entries in refinements:
                value = _code_string(read(error))
                refined = entries.get(value) if value is not None else None
                if refined is None:
                    continue
                retry = refined.get("retryable", False) if header is None else header
                return self._result(refined, "failed", status, retry)
        if header is None:
            result = self._http_default[status]
            if result is None:
                result = self._http_default[status] = self._result(by_status, "failed", status, by_status.get("retryable", False))
            return result
        return self._result(by_status, "failed", status, header)

    def _general(self, observation: Any) -> Result:
        """The decision procedure step by step, with no fast path: what classify() answers for every input."""
        if type(observation) is not dict:
            return self._array(observation) if type(observation) is list else self.invalid
        status = observation.get("http_status", _UNSET)
        hints = self._hints
        if hints is not None and status is not _UNSET and hints.carries(observation.get("headers"), observation.get("body")):
            return self._hinted(observation, status)
        if status is _UNSET:
            return self._body(observation, False)
        status = _http_status(status)
        if status is None:
            return self.invalid
        return self._http(status, observation.get("headers", _UNSET), observation.get("body", _UNSET), False)

    # -- classify(): the common shapes in a few lookups, everything else by _general ------------------------------

    def with_profile(self, profile: str) -> "Contract":
        """This contract's data under another profile (built once per profile, then shared); itself for its own."""
        if profile == self.profile:
            return self
        other = self._profiles.get(profile)
        if other is None:
            other = self._profiles[profile] = Contract(self.data, profile)
        return other

    def _compile_classify(self, convert: Callable[[Any], Result], other: Callable[[str, Any], Result]) -> Callable[..., Result]:
        """A ``classify(observation, profile=<this contract's>)`` function: the common shapes answered from the tables
        of _fast_tables, everything else by _general (see _fast.py).

        ``convert`` answers a value that is not a dict, ``other`` an observation to classify under another profile."""
        objects, events, http = self._fast_tables()
        hints = self._hints
        # What step 6 reads (see Hints.carries): an envelope holding any of it is answered by _general.
        safe_headers, headers_matter = header_filter(_DECIDING_HEADERS | (hints.header_names if hints is not None else frozenset()))
        keys = sorted(hints.body_keys) if hints is not None else []
        keys += [object() for _ in range(3 - len(keys))]  # found in no dict
        return fast_classify(
            {
                "own": self.profile,
                "other": other,
                "convert": convert,
                "general": self._general,
                "decide": self._decide,
                "refine": self._refine,
                "unset": _UNSET,
                "result_type": Result,
                "objects": objects,
                "has_events": self._event is not None,
                "event_steps": events.table,
                "event_step": events.fill,
                "http_steps": http.table,
                "http_step": http.fill,
                "safe_headers": safe_headers,
                "headers_matter": headers_matter,
                "hint_key_1": keys[0],
                "hint_key_2": keys[1],
                "hint_key_3": keys[2],
                "hint_keys_further": frozenset(keys[3:]),
                "shortest": hints.shortest_message if hints is not None else sys.maxsize,
                "may_hold": hints.message_may_hold if hints is not None else (lambda message: False),
            },
            self.profile,
        )

    def _fast_tables(self) -> tuple:
        """The tables of classify()'s fast paths, built once (shared by every classify function of this contract)."""
        tables = self.__dict__.get("_fast")
        if tables is not None:
            return tables

        def object_step(decision: tuple) -> Any:
            """A status value's decision as the fast path takes it: a Result, a step, or None (general)."""
            kind = decision[0]
            if (kind == _RESULT or kind == _REFINE) and decision[3] is not None:
                return None  # an envelope to follow
            if kind == _RESULT:
                return decision[1]
            if kind == _REFINE:
                # The first reason field read inline when it is two keys (`error.code`): its exact match decides;
                # else _refine consults every reason field.
                refinements = decision[1]
                parts = refinements[0][4].split(".")
                if len(parts) == 2 and _is_key(parts[0]) and _is_key(parts[1]):
                    # A value whose entry names relayed_status (the key beside it may decide), or whose result some
                    # message rule may change, is left to _refine: the inline lookup misses it.
                    hints = self._hints
                    ruled = hints is not None and refinements[0][5] is not None
                    relayed = refinements[0][6]
                    # A value only a rule may change is a Ruled record: the inline lookup settles it when the message
                    # is shorter than anything such a rule reads.
                    plain: dict = {}
                    for v, r in refinements[0][1].items():
                        if relayed is not None and v in relayed:
                            continue
                        if ruled and hints.may_rule(r):  # type: ignore[union-attr]
                            plain[v] = Ruled(r, refinements[0][5], hints.shortest_ruled_message(r))  # type: ignore[union-attr]
                        else:
                            plain[v] = r
                    return Refine(parts[0], parts[1], plain, refinements)
                return Decide(decision)
            if kind == _ITEMS:
                head, _, tail = decision[5].partition("[].")
                if _is_key(head) and _is_key(tail):
                    return Items(head, tail, decision[1], decision[4])
            if kind == _ITEMS or kind == _COUNT or kind == _YIELDS:
                return Decide(decision)
            return None

        # Object name -> (its status key, {status value: Result or step}), for statuses read at one key; a status
        # value without a step is not in its table (it is answered by _general).
        objects: Dict[str, Tuple[str, Dict[str, Any]]] = {}
        for name, table in self._status_by_object.items():
            path = self._status_paths[name]
            # A field that reads a reported error first is answered by _general (its tables have one path to read).
            if _is_key(path) and table[5] is None:
                steps = {value: object_step(decision) for value, decision in table[2].items()}
                objects[name] = (path, {value: step for value, step in steps.items() if step is not None})
            else:
                # Read at its own `object` key, a name whose status is elsewhere (chat completions, chunks) is one
                # step away from _general (a step of no kind), with no exception raised on the way.
                objects[name] = ("object", {name: None})

        # Event type -> its Result, a Delegating for an event that delegates, or False (general): memoised for the
        # types seen, at most 4096 of them.
        invalid = self.invalid
        event_table = self._event
        lookup = self._lookup
        error_types = self._error_object[0] if self._error_object is not None else frozenset()

        typed_types = frozenset(typed for typed, _readers, _table in self._status_by_type)

        def event_step(event_type: str) -> Any:
            if event_type in typed_types:
                return False  # maybe a provider's own typed answer (dispatch.type): _general reads its shape
            decision = lookup(event_table, event_type)
            if decision is event_table[4] and event_type in error_types:
                return False  # maybe an error object on its own: _general reads its message
            kind = decision[0]
            if kind == _RESULT and decision[3] is None:
                return decision[1]
            if kind == _DELEGATE:
                return Delegating(decision[1], decision[3] if decision[3] is not None else invalid)
            return False

        event_steps = Remembered(event_step, 4096)

        # HTTP status -> its HttpStep (its result and its refinements in order: code, type, any further ones), built
        # when the status is first seen, when every refinement reads one key of the error object; None for any other
        # status.
        http_inline = self._has_http and all(_is_key(p) for p in self._http_refinement_paths)
        keys = self._http_refinement_paths
        entries_of = [entries for _read, entries in self._http_refinements]
        http_entry_of = self._http_entry_of
        result_of = self._result

        def http_step(status: Any) -> Optional[tuple]:
            if type(status) is not int:
                raise LookupError(status)  # answered by _general, not remembered (429.0 equals 429)
            if not http_inline or not 300 <= status <= HTTP_STATUS_MAX or http_entry_of[status] is None:
                return None  # a 2xx (its body), or a status without an entry: answered by _general
            entry = http_entry_of[status]
            kind = entry.get("kind")
            # A value refines only a status of the same kind (as _http has it).
            refined = [
                (key, {v: result_of(e, "failed", status, e.get("retryable", False)) for v, e in entries.items() if e.get("kind") == kind})
                for key, entries in zip(keys, entries_of)
            ]
            return HttpStep(result_of(entry, "failed", status, entry.get("retryable", False)), refined)

        tables = self.__dict__["_fast"] = (objects, event_steps, Remembered(http_step, HTTP_STATUS_MAX + 1))
        return tables

    # -- the real openai exceptions ------------------------------------------------------------------------------

    def exception_for(self, result: dict, body: Any = None, message: Optional[str] = None, url: Optional[str] = None) -> Optional[BaseException]:
        """The openai exception for a result (None when its kind is null), as ``raise_for_status`` builds it.

        ``body`` is the object that was classified. Kept for callers of the single-file reference implementation;
        ``error_contract.raise_for_status`` does the classification too.
        """
        if result.get("kind") is None:
            return None
        from ._openai import contract_error  # deferred: classification itself needs no SDK

        return contract_error(body, result, contract=self, message=message, url=url)

    def raise_for_result(self, result: dict, body: Any = None, message: Optional[str] = None) -> None:
        """Raises the openai exception for a result whose kind is not null; returns for a result without a kind."""
        error = self.exception_for(result, body=body, message=message)
        if error is not None:
            raise error

    def entry(self, entry_id: str) -> Optional[dict]:
        """The contract entry with this id (as contract.json has it), or None."""
        index = self.__dict__.get("_entry_index")
        if index is None:
            index = self.__dict__["_entry_index"] = {e["id"]: e for e in self.data["entries"]}
        return index.get(entry_id)

    def explain(self, entry_or_result: Any) -> Optional[dict]:
        """An entry's summary, remedy and action (with the action's summary and meaning), for showing a person.

        ``entry_or_result`` is an entry id or a classify() result, whose own action counts (a server delay beyond the
        horizon or x-should-retry may have changed it from the entry's). None for an id the contract does not have.
        """
        is_result = isinstance(entry_or_result, dict)
        entry_id = entry_or_result.get("entry") if is_result else entry_or_result
        entry = self.entry(entry_id) if type(entry_id) is str else None
        if entry is None:
            return None
        action = entry_or_result.get("action") if is_result else entry.get("action")
        described = (self.data.get("actions") or {}).get(action) if type(action) is str else None
        return {
            "entry": entry["id"],
            "summary": entry["summary"],
            "remedy": entry["remedy"],
            "action": action if described is not None else None,
            "action_summary": described["summary"] if described is not None else None,
            "action_meaning": described["meaning"] if described is not None else None,
        }
