"""classify()'s fast path: the common shapes answered from tables that Contract._fast_tables builds once, with the very
result object the procedure as written (Contract._general) gives; everything else is answered by _general.

``fast_classify(namespace, profile)`` makes the function for one contract: ``_classify``'s code with the contract's
tables as its globals (the names declared below). A global is read with one dictionary lookup and copies nothing into
a call's frame, while a closure's cells are copied into every call's frame (about a twelfth of a failed Response's
cost with twenty of them). The code object is this module's own, compiled with the package: nothing is compiled at
run time.
"""

from __future__ import annotations

import builtins
import types
from typing import Any, Callable, Dict, Tuple

__all__ = ["Refine", "Ruled", "Items", "HttpStep", "Decide", "Delegating", "Remembered", "header_filter", "fast_classify", "NAMES"]


class Refine:
    """A status a reason refines (a failed Response, by error.code): ``results``, the exact values of the first reason
    field, read at ``holder``.``reason``, to their results (or a Ruled record); any other value is for
    Contract._refine (``refinements``)."""

    __slots__ = ("holder", "reason", "results", "refinements")

    def __init__(self, holder: str, reason: str, results: dict, refinements: list) -> None:
        self.holder = holder
        self.reason = reason
        self.results = results
        self.refinements = refinements


class Ruled:
    """A listed reason value whose result only a message rule of its kind may change (an any-scope rule): ``result``,
    unless the error object's message (read by ``message``) is at least ``shortest`` characters long, when
    Contract._refine decides: a shorter message holds nothing any such rule reads."""

    __slots__ = ("result", "message", "shortest")

    def __init__(self, result: Any, message: Callable[[Any], Any], shortest: int) -> None:
        self.result = result
        self.message = message
        self.shortest = shortest


class Items:
    """A partial failure: the first item (in ``items``, its status at ``status``) with a result in ``results``
    decides, else the status's own ``result``."""

    __slots__ = ("items", "status", "result", "results")

    def __init__(self, items: str, status: str, result: Any, results: dict) -> None:
        self.items = items
        self.status = status
        self.result = result
        self.results = results

    def decide(self, observation: dict) -> Any:
        """The first item status that settles an outcome, else the status's own result."""
        items = observation[self.items]
        if type(items) is list:
            key, results = self.status, self.results
            for item in items:
                if type(item) is dict:
                    item_status = item.get(key)
                    found = results.get(item_status)
                    if found is not None and type(item_status) is str:
                        return found
        return self.result


class HttpStep:
    """An HTTP error status as the fast path answers it: its ``default`` result, and the refinements in order: at
    ``code`` (the error object's key) a value's result in ``by_code``, at ``type`` in ``by_type``, then ``further``
    ((key, {value: result}), ...)."""

    __slots__ = ("default", "code", "by_code", "type", "by_type", "further")

    def __init__(self, default: Any, refinements: list) -> None:
        # Two refinements at least (an error object has no key None: a padding one never matches).
        padded = refinements + [(None, {})] * (2 - len(refinements))
        self.default = default
        (self.code, self.by_code), (self.type, self.by_type) = padded[0], padded[1]
        self.further = tuple(padded[2:]) or None


class Decide:
    """A status decided by Contract._decide."""

    __slots__ = ("decision",)

    def __init__(self, decision: tuple) -> None:
        self.decision = decision


class Delegating:
    """A stream event that delegates to the object at ``key``: ``own`` when it holds no object there (a delta)."""

    __slots__ = ("key", "own")

    def __init__(self, key: str, own: Any) -> None:
        self.key = key
        self.own = own


class Remembered:
    """A table filled on first sight: ``table`` (a plain dict, read with one subscript) and ``fill(key)``, which is
    ``compute(key)``, remembered while the table holds fewer than ``limit`` keys; ``compute`` raises LookupError for a
    key with no entry (the caller answers it otherwise)."""

    __slots__ = ("table", "fill")

    def __init__(self, compute: Callable[[Any], Any], limit: int) -> None:
        table: dict = {}

        def fill(key: Any) -> Any:
            value = compute(key)
            if len(table) < limit:
                table[key] = value
            return value

        self.table = table
        self.fill = fill


def header_filter(deciding: frozenset) -> Tuple[set, Callable[[dict], bool]]:
    """(names, matter): the header names seen that cannot change a result (exact strs; at most 1024 remembered), and
    whether a headers dict holds a name that can (one whose lower case is in ``deciding``), remembering the others
    it sees. ``names.issuperset(headers)`` answers the common case in one call, whatever the number of headers."""
    safe: set = set()

    def matter(headers: dict) -> bool:
        for name in headers:
            if type(name) is str:
                if name.lower() in deciding:
                    return True
                if len(safe) < 1024:
                    safe.add(name)
        return False

    return safe, matter


# The globals of _classify, each bound by the namespace given to fast_classify (declared here, with their types, for
# readers, type checkers and NAMES: this module binds none of them).
own: str  # the contract's profile
other: Callable[[str, Any], Any]  # classifies an observation under another profile
convert: Callable[[Any], Any]  # answers a value that is not a dict
general: Callable[[Any], Any]  # Contract._general
decide: Callable[..., Any]  # Contract._decide
refine: Callable[..., Any]  # Contract._refine
unset: object  # _classify._UNSET
result_type: type  # _classify.Result
objects: Dict[str, Tuple[str, Dict[str, Any]]]  # object name -> (its status key, {status value: Result or step})
has_events: bool  # whether the contract has an event field
event_steps: dict  # event type -> Result, Delegating or False (general), as remembered
event_step: Callable[[str], Any]  # computes and remembers an event type's step
http_steps: dict  # HTTP status -> its step (see Contract._fast_tables) or None, as remembered
http_step: Callable[[Any], Any]  # computes and remembers a status's step
safe_headers: set  # header names that cannot change a result
headers_matter: Callable[[dict], bool]  # whether a headers dict holds a name that can, remembering the others
# The first keys of the body hints (Hints.body_keys): three, padded with objects no JSON object holds, then the rest.
hint_key_1: Any
hint_key_2: Any
hint_key_3: Any
hint_keys_further: frozenset
shortest: int  # the shortest message step 6 reads (Hints.shortest_message)
may_hold: Callable[[str], bool]  # Hints.message_may_hold

# Every name above, in order.
NAMES = tuple(__annotations__)


def _classify(observation: Any, profile: str = "default") -> Any:
    """Classifies one observation: an envelope {http_status, headers?, body?} or a bare body seen with HTTP 200.

    It reads a key before asking whether it is there, and looks a value up before checking its type; then it checks
    the type of every value it matched (exactly a str, a dict, an int, as _general reads them). A key that is missing,
    a value that cannot be looked up (or whose hash raises) or that is not in a table, or of another type, is answered
    by _general (an exception is the rare path's cost, not the common one's)."""
    if profile is not own and profile != own:
        return other(profile, observation)
    if type(observation) is not dict:
        return convert(observation)
    try:
        if "http_status" not in observation:
            name = observation.get("object", unset)
            if name is not unset:
                key, steps = objects[name]
                value = observation[key]
                step = steps[value]
                if type(name) is str and type(value) is str:
                    kind = type(step)
                    if kind is result_type:
                        return step
                    if kind is Refine:
                        # The first reason field (`error.code`) inline: an exact match decides.
                        holder = observation[step.holder]
                        if type(holder) is dict:
                            reason = holder.get(step.reason)
                            found = step.results.get(reason)
                            if found is not None and type(reason) is str:
                                if type(found) is result_type:
                                    return found
                                message = found.message(observation)
                                if type(message) is not str or len(message) < found.shortest:
                                    return found.result
                            return refine(step.refinements, observation)
                    elif kind is Items:
                        return step.decide(observation)
                    elif kind is Decide:
                        return decide(step.decision, observation, False)
            elif has_events:
                event_type = observation.get("type")
                # A typed body with an `id` may be an object named by its id prefix (a webhook without `object`):
                # _general decides. Stream events carry no `id`.
                if type(event_type) is str and "id" not in observation:
                    try:
                        step = event_steps[event_type]
                    except KeyError:
                        step = event_step(event_type)
                    kind = type(step)
                    if kind is result_type:
                        return step
                    # An event that delegates to an object it does not hold (a delta) has its own result.
                    if kind is Delegating and type(observation.get(step.key)) is not dict:
                        return step.own
        else:
            status = observation["http_status"]
            try:
                step = http_steps[status]
            except KeyError:
                step = http_step(status)
            # An error status with its refinements (an HttpStep); any other status is None, which has no `default`.
            default = step.default
            headers = observation.get("headers")
            # Only a header of a deciding name or one step 6 reads (in any case) can change the result.
            if type(status) is int and (not headers or (type(headers) is dict and (safe_headers.issuperset(headers) or not headers_matter(headers)))):
                body = observation.get("body")
                if type(body) is dict:
                    # The error object as the SDKs take it: body.error when it is an object, else the body.
                    error = body.get("error")
                    if type(error) is not dict:
                        error = body
                    # Step 6 reads nothing here: no body hint's key (three `in` tests are cheaper than one isdisjoint
                    # call), no message that may hold a phrase or a rule's statement (Hints.carries).
                    if hint_key_1 not in error and hint_key_2 not in error and hint_key_3 not in error and (not hint_keys_further or hint_keys_further.isdisjoint(error)):
                        message = error.get("message")
                        if type(message) is not str or len(message) < shortest or not may_hold(message):
                            # The first two refinements (code, type) unrolled, any further ones in turn.
                            # A number there is read by its decimal string: _general answers it.
                            value = error.get(step.code)
                            found = step.by_code.get(value)
                            if found is None:
                                if type(value) is int or type(value) is float:
                                    raise LookupError(value)
                                value = error.get(step.type)
                                found = step.by_type.get(value)
                                if found is None:
                                    if type(value) is int or type(value) is float:
                                        raise LookupError(value)
                                    if step.further is None:
                                        return default
                                    for key, refined in step.further:
                                        value = error.get(key)
                                        found = refined.get(value)
                                        if found is not None:
                                            break
                                        if type(value) is int or type(value) is float:
                                            raise LookupError(value)
                                    else:
                                        return default
                            if type(value) is str:
                                return found
                elif body is None:
                    return default
    except Exception:  # a key that is missing, a value not in a table, or one that cannot be looked up
        pass
    return general(observation)


def fast_classify(namespace: Dict[str, Any], profile: str) -> Callable[..., Any]:
    """The fast path for one contract: _classify with ``namespace`` (every name of NAMES) as its globals, and
    ``profile`` the default of its ``profile`` argument."""
    missing = [name for name in NAMES if name not in namespace]
    if missing:
        raise ValueError(f"fast path: no {', '.join(missing)}")
    scope = {"__builtins__": builtins, "__name__": __name__, "Refine": Refine, "Ruled": Ruled, "Items": Items, "Decide": Decide, "Delegating": Delegating}
    scope.update(namespace)
    function = types.FunctionType(_classify.__code__, scope, "classify", (profile,))
    function.__doc__ = _classify.__doc__
    function.__qualname__ = "classify"
    return function
