"""explain(): an entry's (or a result's) summary, remedy and action with its meaning, from the bundled contract; and
the delay hints and actions of classify() (the vectors check every case; these the public surface)."""

from __future__ import annotations

import json

import error_contract
from error_contract import classify, explain


def _contract() -> dict:
    with open(error_contract.CONTRACT_PATH, encoding="utf-8") as f:
        return json.load(f)


def test_explain_an_entry_gives_its_summary_remedy_and_action() -> None:
    data = _contract()
    entry = next(e for e in data["entries"] if e["id"] == "error.code/insufficient_quota")
    found = explain("error.code/insufficient_quota")
    assert found == {
        "entry": entry["id"],
        "summary": entry["summary"],
        "remedy": entry["remedy"],
        "action": "add_credit",
        "action_summary": data["actions"]["add_credit"]["summary"],
        "action_meaning": data["actions"]["add_credit"]["meaning"],
    }


def test_explain_a_result_uses_the_results_own_action() -> None:
    result = classify({"http_status": 429, "headers": {"retry-after": "900"}, "body": {"error": {"code": "rate_limit_exceeded"}}})
    assert result["retry_after_ms"] == 900_000 and result["action"] == "wait_and_resubmit_later"
    assert explain(result)["action"] == "wait_and_resubmit_later"
    assert explain("error.code/rate_limit_exceeded")["action"] == "back_off_and_retry"


def test_explain_an_unknown_id_is_none_and_a_deferring_entry_has_no_action() -> None:
    assert explain("error.code/x-no-such-code") is None
    assert explain(42) is None
    deferring = explain("response.status/failed")
    assert deferring is not None and deferring["action"] is None and deferring["action_meaning"] is None


def test_every_deciding_entry_has_an_action_the_contract_defines() -> None:
    data = _contract()
    for entry in data["entries"]:
        if "kind" in entry:
            assert entry["action"] in data["actions"], entry["id"]


def test_the_done_when_examples() -> None:
    backoff = classify({"http_status": 429, "headers": {"retry-after": "20"}, "body": {"error": {"code": "rate_limit_exceeded"}}})
    assert (backoff["retry_after_ms"], backoff["action"], backoff["retryable"]) == (20_000, "back_off_and_retry", True)
    quota = classify({"http_status": 429, "body": {"error": {"code": "insufficient_quota"}}})
    assert (quota["action"], quota["retryable"]) == ("add_credit", False)
    budget = classify({"object": "response", "status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"}})
    assert budget["action"] == "raise_budget"
    # A hinted result is a result like the others: its json is its own.
    assert json.loads(backoff.json) == dict(backoff)
