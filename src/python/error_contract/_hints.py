"""Step 6 of spec/PROCEDURE.md on an envelope's result: the contract's ``message_rules`` (a fact a provider states only
in its error message), then the delay a server asked for, read from the envelope's headers and error body as the
contract's ``hints`` say, into ``retry_after_ms``, with the horizon applied to its ``action``.

Applied only to envelopes (an observation with ``http_status``) that carry a hint or a rule's message, after
classification: a bare body carries neither, so the classifier's hot path for bodies never reaches this module (for an
envelope it reads the names and lengths carries() looks at, and calls message_may_hold on a long message).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Callable, Dict, List, Optional, Tuple

__all__ = ["Hints", "parse_hint_value", "parse_http_date", "parse_text_delay", "phrase_pattern"]

_DECIMAL = re.compile(r"([0-9]+)(?:\.([0-9]+))?")
_INTEGER = re.compile(r"[0-9]+")
_DURATION = re.compile(r"([0-9]+)(?:\.([0-9]{1,9}))?s")
_DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_TIME = "([0-9]{2}):([0-9]{2}):([0-9]{2})"
_IMF_FIXDATE = re.compile(f"{_DAY}, ([0-9]{{2}}) {_MONTH} ([0-9]{{4}}) {_TIME} GMT")
_ASCTIME = re.compile(f"{_DAY} {_MONTH} ( [0-9]|[0-9]{{2}}) {_TIME} ([0-9]{{4}})")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FAILURE = frozenset(("failed", "incomplete", "cancelled", "expired"))
# How many results with a delay are kept for reuse: the same envelope gives the very same result, as every other
# classification does, while delays an attacker picks cannot grow memory without bound (past this, each is fresh).
_SHARED_HINTED_RESULTS = 65_536


def _trim_ows(text: str) -> str:
    """Leading and trailing spaces and tabs (HTTP's optional whitespace) removed; nothing else."""
    return text.strip(" \t")


def _digits_to_ms(whole: str, fraction: str, scale: int, maximum: int) -> int:
    """Whole milliseconds from decimal digits of a unit ``scale`` digits above a millisecond, rounded up, exactly."""
    significant = whole.lstrip("0")
    if len(significant) + scale > 15:
        return maximum
    padded = (fraction + "000")[:scale]
    rest = fraction[scale:]
    ms = int(significant or "0") * 10**scale + int(padded or "0") + (1 if rest.strip("0") else 0)
    return min(ms, maximum)


# A component of a Go duration ("2m59.56s", "417ms"), the form OpenAI and Groq write a delay in; "ms" before "m".
_GO_COMPONENT = re.compile("([0-9]+)(?:\\.([0-9]+))?(h|ms|m|s|us|\u00b5s|\u03bcs|ns)")
# A number of seconds or milliseconds in words ("60 seconds", "1 second"), Azure's form.
_IN_WORDS = re.compile("([0-9]+)(?:\\.([0-9]+))? (milliseconds|millisecond|seconds|second)")
_NANOSECONDS = {
    "h": 3_600_000_000_000,
    "m": 60_000_000_000,
    "s": 1_000_000_000,
    "ms": 1_000_000,
    "us": 1_000,
    "\u00b5s": 1_000,
    "\u03bcs": 1_000,
    "ns": 1,
    "seconds": 1_000_000_000,
    "second": 1_000_000_000,
    "milliseconds": 1_000_000,
    "millisecond": 1_000_000,
}
# The longest fraction a text delay may write (a Go duration has at most 9 digits); a longer one is no delay.
_MAX_FRACTION_DIGITS = 18
# requested_above_limit: the message's first "Limit N, [Used N, ]Requested [~]N".
_LIMIT_AND_REQUEST = re.compile("Limit ([0-9]+), (?:Used [0-9]+, )?Requested ~?([0-9]+)")


def _component_ns(whole: str, fraction: str, unit: int) -> Optional[int]:
    """Nanoseconds of ``whole.fraction`` units, rounded up to a whole nanosecond; None when beyond any maximum."""
    significant = whole.lstrip("0")
    if len(significant) > 15:  # 15 significant digits of hours are already far beyond max_delay_ms
        return None
    ns = int(significant or "0") * unit
    if fraction:
        scale = 10 ** len(fraction)
        ns += -(-int(fraction) * unit // scale)
    return ns


def parse_text_delay(text: str, phrase: "re.Pattern[str]", maximum: int) -> Optional[int]:
    """The delay written right after the first occurrence of ``phrase`` in ``text`` (format ``text_delay``): a Go
    duration, or digits then a space and seconds/milliseconds in words; whole milliseconds rounded up, at most
    ``maximum``; None when anything else follows the phrase, or there is no phrase."""
    found = phrase.search(text)
    if found is None:
        return None
    at = found.end()
    total = 0
    beyond = False
    components = 0
    while True:
        m = _GO_COMPONENT.match(text, at)
        if m is None:
            break
        if len(m.group(2) or "") > _MAX_FRACTION_DIGITS:
            return None
        ns = _component_ns(m.group(1), m.group(2) or "", _NANOSECONDS[m.group(3)])
        if ns is None:
            beyond = True
        else:
            total += ns
        components += 1
        at = m.end()
    if components == 0:
        m = _IN_WORDS.match(text, at)
        if m is None or len(m.group(2) or "") > _MAX_FRACTION_DIGITS:
            return None
        ns = _component_ns(m.group(1), m.group(2) or "", _NANOSECONDS[m.group(3)])
        if ns is None:
            beyond = True
        else:
            total = ns
    if beyond:
        return maximum
    return min(-(-total // 1_000_000), maximum)


def phrase_pattern(phrase: str) -> "re.Pattern[str]":
    """A phrase as a pattern whose ASCII letters match in either case (nothing else folds, in every language alike)."""
    return re.compile("".join(f"[{c.lower()}{c.upper()}]" if c.isascii() and c.isalpha() else re.escape(c) for c in phrase))


def _greater(a: str, b: str) -> bool:
    """Whether decimal digits ``a`` are a larger integer than ``b``, exactly."""
    x, y = a.lstrip("0"), b.lstrip("0")
    return len(x) > len(y) if len(x) != len(y) else x > y


def _requested_above_limit(message: str) -> bool:
    m = _LIMIT_AND_REQUEST.search(message)
    return m is not None and _greater(m.group(2), m.group(1))


def _rule_scopes(data: dict) -> Dict[str, Optional[frozenset]]:
    """The deciding entries each scope admits (None: every entry): fallback, a field's `*` entry or an HTTP status
    entry; generic, those and the entries of an error type (a type names the class of a failure, a code its cause)."""
    fields = data["fields"]
    type_fields = set()
    for fid, field in fields.items():
        path = field.get("path")
        if type(path) is str and re.search(r"(^|\.)type$", path) and field.get("role") not in ("event", "status"):
            type_fields.add(fid)
            if field.get("shares_values_with") is not None:
                type_fields.add(field["shares_values_with"])
    fallback = set()
    generic = set()
    for e in data["entries"]:
        unnamed = e["value"] == "*" or fields.get(e["field"], {}).get("role") == "http"
        if unnamed:
            fallback.add(e["id"])
        if unnamed or e["field"] in type_fields:
            generic.add(e["id"])
    return {"any": None, "fallback": frozenset(fallback), "generic": frozenset(generic)}


def message_test(rule: dict) -> Tuple[Callable[[str], bool], Tuple[str, ...]]:
    """The test a message rule names, on the error object's message, with what a message must hold (in lower case)
    for the test to be worth running: requested_above_limit, or phrases (the message holds one of the rule's phrases,
    ASCII letters in either case, as phrase_pattern matches a text hint's phrase)."""
    if rule["test"] == "phrases":
        phrases = rule.get("phrases") or []
        pattern = re.compile("|".join(phrase_pattern(phrase).pattern for phrase in phrases))
        shortest = min(len(phrase) for phrase in phrases)
        return (lambda message: len(message) >= shortest and pattern.search(message) is not None), tuple(phrase.lower() for phrase in phrases)
    return _requested_above_limit, ("requested ",)


def _days_from_civil(year: int, month: int, day: int) -> int:
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_http_date(text: str) -> Optional[int]:
    """Seconds since the epoch of an IMF-fixdate or asctime HTTP date, else None (RFC 850 dates are not read)."""
    m = _IMF_FIXDATE.fullmatch(text)
    if m is not None:
        day, month, year, hh, mm, ss = m.group(2, 3, 4, 5, 6, 7)
    else:
        m = _ASCTIME.fullmatch(text)
        if m is None:
            return None
        month, day, hh, mm, ss, year = m.group(2, 3, 4, 5, 6, 7)
    y, mon, d = int(year), _MONTHS.index(month) + 1, int(day.strip())
    h, mi, s = int(hh), int(mm), int(ss)
    if d < 1 or d > _days_in_month(y, mon) or h > 23 or mi > 59 or s > 60:
        return None
    return _days_from_civil(y, mon, d) * 86400 + h * 3600 + mi * 60 + s


def parse_hint_value(fmt: str, value: Any, maximum: int, date: Any = None) -> Optional[int]:
    """The delay one hint value gives, in whole milliseconds clamped to ``maximum``; None when it is not of ``fmt``."""
    if fmt == "seconds_number":
        if type(value) is not int and type(value) is not float:
            return None
        try:
            number = float(value)  # an integer beyond binary64 is what JSON.parse reads as Infinity: no number
        except OverflowError:
            return None
        if number != number or number in (float("inf"), float("-inf")) or number < 0:
            return None
        # Binary64 arithmetic, as JSON numbers are: the same ceiling in every language.
        product = number * 1000
        if product > maximum:
            return maximum
        ms = int(product)
        return ms + 1 if ms < product else ms
    if type(value) is not str:
        return None
    text = _trim_ows(value)
    if fmt == "integer_ms":
        return _digits_to_ms(text, "", 0, maximum) if _INTEGER.fullmatch(text) else None
    if fmt == "decimal_ms":
        m = _DECIMAL.fullmatch(text)
        return _digits_to_ms(m.group(1), m.group(2) or "", 0, maximum) if m else None
    if fmt == "duration":
        m = _DURATION.fullmatch(text)
        return _digits_to_ms(m.group(1), m.group(2) or "", 3, maximum) if m else None
    if fmt == "seconds_or_http_date":
        m = _DECIMAL.fullmatch(text)
        if m:
            return _digits_to_ms(m.group(1), m.group(2) or "", 3, maximum)
        at = parse_http_date(text)
        if at is None or type(date) is not str:
            return None
        now = parse_http_date(_trim_ows(date))
        if now is None:
            return None
        return min(max(at - now, 0) * 1000, maximum)
    return None


def _error_object(body: Any) -> Optional[dict]:
    """body.error when it is an object, else the body; an array body's first element's error."""
    if type(body) is dict:
        error = body.get("error")
        return error if type(error) is dict else body
    if type(body) is list and body and type(body[0]) is dict and type(body[0].get("error")) is dict:
        return body[0]["error"]
    return None


def _body_reader(hint: dict) -> Callable[[dict], Any]:
    """Own keys along the path; a `[]` segment selects the first array element whose keys ``match`` names."""
    parts = hint["body"].split(".")
    match = list((hint.get("match") or {}).items())
    key = hint.get("key")
    missing = object()

    def read(error: dict) -> Any:
        value: Any = error
        for part in parts:
            each = part.endswith("[]")
            name = part[:-2] if each else part
            if type(value) is not dict or name not in value:
                return missing
            value = value[name]
            if each:
                if type(value) is not list:
                    return missing
                element = next((item for item in value if type(item) is dict and all(k in item and item[k] == v and type(item[k]) is str for k, v in match)), None)
                if element is None or key is None or key not in element:
                    return missing
                value = element[key]
        return value

    return read


class Hints:
    """The hints and the retry policy of one contract.json, compiled once; ``apply`` adds them to a result."""

    def __init__(self, data: dict, actions_retry: Dict[str, str], sdk_objects: Dict[str, dict]) -> None:
        policy = data["retry_policy"]
        self.horizon_ms: int = policy["horizon_ms"]
        self.beyond: str = policy["beyond_horizon"]
        self.maximum: int = policy["max_delay_ms"]
        self._retry = actions_retry
        hints = sorted(data["hints"].values(), key=lambda h: h["precedence"])
        self._failure = [self._compile(h) for h in hints if h["applies_to"] == "failure"]
        self._pending = [self._compile(h) for h in hints if h["applies_to"] == "pending"]
        self._wanted = {"date", *(h["header"] for h in hints if "header" in h)}
        self._lengths = {len(n) for n in self._wanted}
        # The first key of each body hint's path: an error object without any of them carries no body hint. Text hints
        # read `message`, which nearly every error has: they count only when the message holds their phrase.
        self._body_keys = tuple({h["body"].split(".")[0].replace("[]", "") for h in hints if h["applies_to"] == "failure" and "body" in h and "after" not in h})
        self._phrases = tuple(h["after"] for h in hints if h["applies_to"] == "failure" and "after" in h)
        rules = sorted((data.get("message_rules") or {}).items(), key=lambda kv: kv[1]["precedence"])
        tests = [message_test(r) for _, r in rules]
        scopes = _rule_scopes(data)
        # (id, rule, test, the entries its scope admits or None for every one), in precedence order.
        self._rules = [(rule_id, r, test, scopes[r.get("scope", "any")]) for (rule_id, r), (test, _) in zip(rules, tests)]
        # The shortest message each rule's test can hold (its shortest needle), in the same order.
        self._rule_shortest = [min(len(needle) for needle in needles) for _, needles in tests]
        self.rule_kinds = frozenset(k for _, r in rules for k in r["kinds"])
        self._kinds = data["kinds"]
        self._sdk_objects = sdk_objects
        self._body_hints = bool(self._body_keys) or bool(self._phrases) or bool(self._rules)
        # What a message must hold (in lower case) for a text hint or a rule to read it: each phrase, and what each
        # rule's test needs. A message shorter than all of them holds none.
        self._needles = self._phrases + tuple(sorted({needle for _, needles in tests for needle in needles}))
        # What carries() looks at, as the classifier's fast path looks at it too: the header names (lower case), the
        # body hints' first keys, and a message at least this long (none is when no phrase or rule is read).
        self.header_names = frozenset(self._wanted)
        self.body_keys = frozenset(self._body_keys)
        self.shortest_message = min((len(n) for n in self._needles), default=sys.maxsize) if self._body_hints else sys.maxsize
        # (id of the base result, rule id) -> the result the rule gives.
        self._ruled: Dict[tuple, tuple] = {}
        # (id of the base result, delay) -> the result with that delay; base results live as long as the contract.
        self._shared: Dict[tuple, dict] = {}

    @staticmethod
    def _compile(hint: dict) -> tuple:
        if "header" in hint:
            return (hint["format"], hint["header"], None, None)
        phrase = phrase_pattern(hint["after"]) if hint["format"] == "text_delay" and "after" in hint else None
        return (hint["format"], None, _body_reader(hint), phrase)

    def message_may_hold(self, message: str) -> bool:
        """Whether an error message may hold a text hint's phrase or a rule's statement (at least as long as
        ``shortest_message``): a superset of what the phrases match (str.lower folds every ASCII letter they fold,
        and more)."""
        lower = message.lower()
        for needle in self._needles:
            if needle in lower:
                return True
        return False

    def carries(self, headers: Any, body: Any) -> bool:
        """Whether an envelope holds anything step 6 reads: a wanted header, the first key of a body hint's path, or a
        message that may hold a text hint's phrase or a rule's statement (the rules' kinds are checked later).
        Called for every envelope the fast path does not answer, so it only looks: a few length checks and dict
        lookups, nothing built."""
        if type(headers) is dict and headers:
            lengths, wanted = self._lengths, self._wanted
            for name in headers:
                if type(name) is str and len(name) in lengths and name.lower() in wanted:
                    return True
        if type(body) is dict:
            error = body.get("error")
            if type(error) is not dict:
                error = body
        elif type(body) is list and body and type(body[0]) is dict and type(body[0].get("error")) is dict:
            error = body[0]["error"]
        else:
            return False
        # `in` the error object (rather than one isdisjoint call) hashes none of its keys.
        for key in self._body_keys:
            if key in error:
                return True
        message = error.get("message")
        return type(message) is str and len(message) >= self.shortest_message and self.message_may_hold(message)

    def _headers(self, headers: Any) -> Dict[str, Any]:
        """Each wanted header's value (names fold case); a name given twice in different cases reads as no value."""
        found: Dict[str, Any] = {}
        if type(headers) is not dict:
            return found
        repeated = set()
        for name, value in headers.items():
            if type(name) is not str or len(name) not in self._lengths:
                continue
            lower = name.lower()
            if lower not in self._wanted:
                continue
            if lower in found:
                repeated.add(lower)
            found[lower] = value
        for name in repeated:
            found[name] = None
        return found

    def delay(self, outcome: str, headers: Any, error: Optional[dict]) -> Optional[int]:
        """retry_after_ms for a result of this outcome, from the headers and the envelope's error object, or None."""
        hints: List[tuple] = self._pending if outcome == "pending" else self._failure if outcome in _FAILURE else []
        if not hints:
            return None
        values = self._headers(headers)
        if not self._body_hints:
            error = None
        for fmt, header, reader, phrase in hints:
            if header is not None:
                if header not in values:
                    continue
                ms = parse_hint_value(fmt, values[header], self.maximum, values.get("date"))
            elif error is not None:
                value = reader(error)
                if phrase is not None:
                    ms = parse_text_delay(value, phrase, self.maximum) if type(value) is str else None
                else:
                    ms = parse_hint_value(fmt, value, self.maximum)
            else:
                continue
            if ms is not None:
                return ms
        return None

    def may_rule(self, result: dict) -> bool:
        """Whether a rule may change a result: it is failed and some rule lists its kind with a scope admitting its entry."""
        if result["outcome"] != "failed" or result["kind"] not in self.rule_kinds:
            return False
        return any(result["kind"] in rule["kinds"] and (admits is None or result["entry"] in admits) for _, rule, _, admits in self._rules)

    def shortest_ruled_message(self, result: dict) -> int:
        """The shortest message a rule that may change this result can read (may_rule must hold): a shorter one
        leaves the result as it is."""
        kind = result["kind"]
        return min(
            shortest
            for (_, rule, _, admits), shortest in zip(self._rules, self._rule_shortest)
            if kind in rule["kinds"] and (admits is None or result["entry"] in admits)
        )

    def rule(self, result: dict, message: Any, bare: bool, make: Callable[..., dict]) -> dict:
        """The result the first message rule whose kind, scope and test hold gives for a failed result and the message
        of its error object (on a bare body's result when ``bare``: a rule's kind applies), else the result."""
        kind = result["kind"]
        if result["outcome"] != "failed" or kind not in self.rule_kinds or type(message) is not str:
            return result
        for rule_id, rule, test, admits in self._rules:
            if kind not in rule["kinds"] or (admits is not None and result["entry"] not in admits) or not test(message):
                continue
            key = (id(result), rule_id, bare)
            pair = self._ruled.get(key)
            if pair is None:
                found = make(result)
                renamed = rule.get("kind") if bare else None
                if renamed is not None and renamed != kind:
                    # A bare body's kind is the contract's judgement, which a rule may name; an envelope's is the
                    # SDK's class. The kind's own status (429, 401), or the lowest of its range (>=500 -> 500).
                    status = self._kinds[renamed].get("http_status")
                    if type(status) is str and re.fullmatch(">=[0-9]{3}", status):
                        status = int(status[2:])
                    found["kind"] = renamed
                    found["http_status"] = status if type(status) is int else None
                    found["sdk"] = dict(self._sdk_objects[renamed])
                found["retryable"] = rule["retryable"]
                found["throttling"] = rule["throttling"]
                found["action"] = rule["action"]
                found["rule"] = rule_id
                found.json = json.dumps(found, separators=(",", ":"))
                # The base result is kept with its rule's result, so that its id is never reused for another.
                pair = self._ruled[key] = (result, found)
            return pair[1]
        return result

    def apply(self, result: dict, headers: Any, body: Any, make: Callable[..., dict]) -> dict:
        """The result after the message rules, with the envelope's delay (and the horizon's verdict on its action)."""
        # The error object, read once for the rules and the body hints.
        error = _error_object(body)
        if self._rules:
            result = self.rule(result, error.get("message") if error is not None else None, False, make)
        ms = self.delay(result["outcome"], headers, error)
        if ms is None:
            return result
        key = (id(result), ms)
        found = self._shared.get(key)
        if found is not None:
            return found
        action = result["action"]
        if result["retryable"] and ms > self.horizon_ms and action is not None and self._retry.get(action) == "in_run":
            action = self.beyond
        hinted = make(result)
        hinted["retry_after_ms"] = ms
        hinted["action"] = action
        hinted.json = json.dumps(hinted, separators=(",", ":"))
        if len(self._shared) < _SHARED_HINTED_RESULTS:
            self._shared[key] = hinted
        return hinted
