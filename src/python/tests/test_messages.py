"""Step 6's reading of a message in the Python package: text_delay and the request-above-limit rule, checked against
arithmetic done another way (fractions over the written digits), as test/classify/messages.test.ts does for Node."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import error_contract
from error_contract._hints import parse_text_delay, phrase_pattern

MAX = 2_147_483_647
NS = {"h": 3_600_000_000_000, "m": 60_000_000_000, "s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "\u00b5s": 1_000, "ns": 1}
PHRASE = phrase_pattern("try again in ")


def expected_ms(components: list) -> int:
    total = sum(math.ceil(Fraction(f"{whole}.{fraction or '0'}") * NS[unit]) for whole, fraction, unit in components)
    return min(-(-total // 1_000_000), MAX)


def test_go_durations_add_up_rounded_up() -> None:
    rng = random.Random(7)
    for _ in range(500):
        components = [
            ("".join(rng.choice("0123456789") for _ in range(rng.randint(1, 6))),
             "".join(rng.choice("0123456789") for _ in range(rng.choice([0, 0, 3, 9, 12]))),
             rng.choice(sorted(NS)))
            for _ in range(rng.randint(1, 4))
        ]
        written = "".join(w + (f".{f}" if f else "") + u for w, f, u in components)
        assert parse_text_delay(f"Please try again in {written}. Visit", PHRASE, MAX) == expected_ms(components), written


def test_words_case_and_first_occurrence() -> None:
    assert parse_text_delay("Rate limit is exceeded. Try again in 60 seconds.", PHRASE, MAX) == 60_000
    assert parse_text_delay("try again in 2.5 milliseconds", PHRASE, MAX) == 3
    assert parse_text_delay("try again in a moment; try again in 5s", PHRASE, MAX) is None
    assert parse_text_delay("try again in 5 s", PHRASE, MAX) is None
    assert parse_text_delay("try again in 1." + "0" * 19 + "1s", PHRASE, MAX) is None
    assert parse_text_delay("try again in 9999999999999999h", PHRASE, MAX) == MAX
    assert parse_text_delay("try \u212aagain in 5s", phrase_pattern("try kagain in "), MAX) is None


def test_request_above_limit_compares_integers() -> None:
    rng = random.Random(11)
    for _ in range(300):
        limit, requested = rng.randint(0, 10**30), rng.randint(0, 10**30)
        if rng.random() < 0.2:
            requested = limit
        used = f"Used {rng.randint(0, 999)}, " if rng.random() < 0.5 else ""
        message = f"Rate limit reached (TPM): Limit {'0' * rng.randint(0, 3)}{limit}, {used}Requested {'~' if rng.random() < 0.5 else ''}{requested}."
        result = error_contract.classify({"http_status": 429, "body": {"error": {"message": message, "code": "rate_limit_exceeded"}}})
        assert result["retryable"] is (requested <= limit), message
        assert result.get("rule") == ("request-above-limit" if requested > limit else None)
