"""raise_for_status(): for every observation the contract knows, the installed openai's own class with the API's own
fields, as the synchronous path fills them."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List

import openai
import openai._exceptions as sdk_exceptions
import pytest

import error_contract
from error_contract import classify, contract_error, is_contract_error, raise_for_status
from conftest import ROOT, contract_json

httpx = getattr(sdk_exceptions, "httpx2", None) or getattr(sdk_exceptions, "httpx")
CONTRACT = contract_json()


def vectors() -> List[Dict[str, Any]]:
    out = []
    for group in ("responses", "streams", "http", "async-resources"):
        with open(os.path.join(ROOT, "generated", "vectors", f"{group}.json"), encoding="utf-8") as f:
            out += json.load(f)["vectors"]
    return out


def raised(fn: Any, *args: Any, **kwargs: Any) -> BaseException:
    try:
        fn(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the test inspects it
        return error
    raise AssertionError("expected an exception")


def class_of(kind: str) -> type:
    return getattr(openai, CONTRACT["kinds"][kind]["python"]["class"])


def test_bundled_contract_is_the_generated_one() -> None:
    with open(error_contract.CONTRACT_PATH, encoding="utf-8") as a, open(os.path.join(ROOT, "generated", "contract.json"), encoding="utf-8") as b:
        assert a.read() == b.read()
    assert error_contract.load().version == CONTRACT["meta"]["version"]


VECTORS = vectors()


def test_the_vectors_cover_every_object_type_the_contract_dispatches_on() -> None:
    objects = {v["observation"].get("object") for v in VECTORS if isinstance(v["observation"], dict)}
    for field in CONTRACT["fields"].values():
        if "object" in field.get("dispatch", {}):
            assert field["dispatch"]["object"] in objects


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_every_vector(vector: Dict[str, Any]) -> None:
    observation = vector["observation"]
    expected = vector["expected"]
    result = classify(observation)
    assert {k: result[k] for k in expected} == expected
    if expected["outcome"] in ("completed", "pending"):
        assert raise_for_status(observation) is observation
        return
    error = raised(raise_for_status, observation)
    assert isinstance(error, class_of(expected["kind"]))
    assert isinstance(error, openai.OpenAIError)
    assert is_contract_error(error)
    assert error.response is observation  # type: ignore[attr-defined]
    assert error.contract is result  # type: ignore[attr-defined]
    if isinstance(error, openai.APIStatusError):
        assert error.status_code == expected["http_status"]
        assert error.http_response.status_code == expected["http_status"]  # type: ignore[attr-defined]
        assert error.request is error.http_response.request  # type: ignore[attr-defined]


def sdk_error(status: int, body: Any, headers: Dict[str, str]) -> openai.APIStatusError:
    """What openai-python itself raises for this HTTP response (its own _make_status_error_from_response)."""
    client = openai.OpenAI(api_key="sk-test", base_url="https://api.openai.com/v1")
    request = httpx.Request("POST", "https://api.openai.com/v1/responses")
    content = json.dumps(body).encode() if body is not None else b""
    response = httpx.Response(status, headers=headers, content=content, request=request)
    return client._make_status_error_from_response(response)


def test_an_http_envelope_gives_exactly_what_the_sdk_raises_for_the_same_response() -> None:
    checked = 0
    for vector in VECTORS:
        observation = vector["observation"]
        if not isinstance(observation, dict) or type(observation.get("http_status")) is not int or vector["expected"]["outcome"] != "failed":
            continue
        if observation["http_status"] < 400 or not isinstance(observation.get("body"), dict):
            continue
        headers = {"x-request-id": "req_123", "content-type": "application/json"}
        expected = sdk_error(observation["http_status"], observation["body"], headers)
        request = httpx.Request("POST", "https://api.openai.com/v1/responses")
        error = raised(raise_for_status, observation, headers=headers, request=request)
        assert type(error) is type(expected), vector["id"]
        for key in ("message", "status_code", "body", "code", "param", "type", "request_id"):
            assert getattr(error, key) == getattr(expected, key), f"{vector['id']} {key}"
        assert str(error) == str(expected), vector["id"]
        checked += 1
    assert checked > 20


def test_a_failed_response_the_apis_message_code_and_request_id() -> None:
    response = {"id": "resp_1", "object": "response", "status": "failed", "error": {"code": "server_error", "message": "The server had an error"}}
    error = raised(raise_for_status, response, headers={"x-request-id": "req_abc"})
    assert isinstance(error, openai.InternalServerError)
    assert str(error) == "Error code: 500 - The server had an error"
    assert (error.status_code, error.code, error.body, error.request_id) == (500, "server_error", response["error"], "req_abc")
    assert error.request.method == "GET"
    assert str(error.request.url) == "https://api.openai.com/v1/responses/resp_1"
    assert error.response is response
    assert error.contract["entry"] == "error.code/server_error"


def test_a_providers_failure_the_type_is_the_sdks_type() -> None:
    response = {"id": "req_1", "object": "response", "status": "failed", "error": {"type": "guardrail_violation", "message": "Rejected", "param": "input"}}
    error = raised(raise_for_status, response)
    assert isinstance(error, openai.BadRequestError)
    assert (error.status_code, error.type, error.code, error.param) == (400, "guardrail_violation", None, "input")


def test_stream_error_events_the_flat_event_or_its_nested_error_is_the_error_object() -> None:
    flat = {"type": "error", "code": "rate_limit_exceeded", "message": "Slow down", "param": None, "sequence_number": 3}
    a = raised(raise_for_status, flat)
    assert isinstance(a, openai.RateLimitError)
    assert (a.body, a.code, a.status_code, a.message) == (flat, "rate_limit_exceeded", 429, "Error code: 429 - Slow down")
    assert str(a.request.url) == "https://api.openai.com/v1/responses"
    nested = {"type": "error", "error": {"code": "server_error", "message": "Oops", "type": "server_error"}, "sequence_number": 3}
    b = raised(raise_for_status, nested)
    assert isinstance(b, openai.InternalServerError)
    assert (b.body, b.type) == (nested["error"], "server_error")


def test_a_response_failed_event_the_error_object_of_the_response_it_carries() -> None:
    event = {"type": "response.failed", "sequence_number": 9, "response": {"id": "resp_2", "object": "response", "status": "failed", "error": {"code": "invalid_prompt", "message": "No"}}}
    error = raised(raise_for_status, event)
    assert isinstance(error, openai.BadRequestError)
    assert error.body is event["response"]["error"]
    assert error.response is event


def test_an_incomplete_response_the_finish_reason_classes_which_are_no_api_error() -> None:
    response = {"id": "resp_3", "object": "response", "status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"}}
    error = raised(raise_for_status, response)
    assert isinstance(error, openai.LengthFinishReasonError)
    assert not isinstance(error, openai.APIError)
    assert error.response is response


def test_a_cancelled_response_api_error_without_a_status() -> None:
    error = raised(raise_for_status, {"id": "resp_4", "object": "response", "status": "cancelled"})
    assert type(error) is openai.APIError
    assert "resp_4" in str(error)
    assert not hasattr(error, "status_code")


@pytest.mark.parametrize("value", [None, 42, "text", [], {}])
def test_non_object_input_is_invalid_raised_as_the_validation_kind(value: Any) -> None:
    error = raised(raise_for_status, value)
    assert isinstance(error, openai.APIResponseValidationError)
    assert error.contract["outcome"] == "invalid"


ENDPOINTS = [
    ({"id": "batch_1", "object": "batch", "status": "failed", "errors": {"data": [{"code": "invalid_json_line", "message": "Bad line 3", "line": 3}]}}, "GET", "/batches/batch_1", "invalid_json_line"),
    ({"id": "ftjob_1", "object": "fine_tuning.job", "status": "failed", "error": {"code": "invalid_training_file", "message": "The file is bad", "param": "training_file"}}, "GET", "/fine_tuning/jobs/ftjob_1", None),
    ({"id": "file_1", "object": "vector_store.file", "vector_store_id": "vs_1", "status": "failed", "last_error": {"code": "server_error", "message": "Failed to index"}}, "GET", "/vector_stores/vs_1/files/file_1", "server_error"),
    ({"id": "run_1", "object": "thread.run", "thread_id": "thread_1", "status": "failed", "last_error": {"code": "rate_limit_exceeded", "message": "Slow down"}}, "GET", "/threads/thread_1/runs/run_1", "rate_limit_exceeded"),
    ({"id": "chatcmpl_1", "object": "chat.completion", "choices": [{"index": 0, "finish_reason": "content_filter", "message": {"role": "assistant", "content": None}}]}, "POST", "/chat/completions", None),
    ({"id": "evt_1", "object": "event", "type": "response.failed", "created_at": 1, "data": {"id": "resp_9"}}, "GET", "/responses/resp_9", None),
    ({"id": "evt_2", "object": "event", "type": "batch.failed", "created_at": 1, "data": {"id": "batch_9"}}, "GET", "/batches/batch_9", None),
]


@pytest.mark.parametrize("obj,method,path,code", ENDPOINTS, ids=[e[0]["object"] for e in ENDPOINTS])
def test_the_request_names_the_endpoint_of_the_object(obj: Dict[str, Any], method: str, path: str, code: Any) -> None:
    error = raised(raise_for_status, obj, base_url="http://127.0.0.1:9/v1/")
    assert is_contract_error(error)
    if isinstance(error, openai.ContentFilterFinishReasonError):
        # No APIError: the SDK's class carries the completion, as when it raises it itself.
        assert error.completion is not None and error.completion.id == obj["id"]
        return
    assert error.request.method == method  # type: ignore[attr-defined]
    assert str(error.request.url) == "http://127.0.0.1:9/v1" + path  # type: ignore[attr-defined]
    if code is not None:
        assert error.code == code  # type: ignore[attr-defined]
        assert str(error).endswith(error.body["message"])  # type: ignore[attr-defined]


def test_a_batch_output_line_its_recorded_response_and_request_id() -> None:
    line = {"id": "batch_req_1", "custom_id": "r1", "response": {"status_code": 429, "request_id": "req_line", "body": {"error": {"code": "rate_limit_exceeded", "message": "Too many", "type": "requests"}}}, "error": None}
    error = raised(raise_for_status, line)
    assert isinstance(error, openai.RateLimitError)
    assert (error.request_id, error.code, error.type, str(error)) == ("req_line", "rate_limit_exceeded", "requests", "Error code: 429 - Too many")


def test_pydantic_models_classify_as_the_json_they_were_parsed_from() -> None:
    from openai.types.responses import Response

    data = {"id": "resp_5", "object": "response", "created_at": 1, "model": "m", "output": [], "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "status": "failed", "error": {"code": "rate_limit_exceeded", "message": "Slow down"}}
    model = Response.model_validate(data)
    assert classify(model) == classify(data)
    error = raised(raise_for_status, model)
    assert isinstance(error, openai.RateLimitError)
    assert error.response is model
    assert (error.code, error.message) == ("rate_limit_exceeded", "Error code: 429 - Slow down")
    done = Response.model_validate({**data, "status": "completed", "error": None})
    assert raise_for_status(done) is done


def test_profiles() -> None:
    response = {"object": "response", "status": "failed", "error": {"type": "guardrail_violation", "message": "x"}}
    profile = next(name for name, p in CONTRACT["profiles"].items() if "response.error.type" in p.get("exclude_fields", []))
    assert raised(raise_for_status, response).contract["entry"] == "error.type/guardrail_violation"
    assert raised(raise_for_status, response, profile=profile).contract["entry"] != "error.type/guardrail_violation"
    with pytest.raises(ValueError, match="unknown profile"):
        classify(response, profile="no-such-profile")


def test_a_class_the_installed_sdk_lacks_falls_back_to_api_error() -> None:
    data = json.loads(json.dumps(CONTRACT))
    data["kinds"]["rate_limit_error"]["python"]["class"] = "NoSuchErrorClass"
    older = error_contract.Contract(data)
    error = raised(raise_for_status, {"object": "response", "status": "failed", "error": {"code": "rate_limit_exceeded", "message": "m"}}, contract=older)
    assert type(error) is openai.APIError


def test_contract_error_builds_without_raising_and_is_contract_error_tells_ours_from_the_sdks() -> None:
    response = {"object": "response", "status": "failed", "error": {"code": "server_error", "message": "m"}}
    error = contract_error(response)
    assert isinstance(error, openai.InternalServerError) and is_contract_error(error)
    assert not is_contract_error(sdk_error(500, {"error": {"message": "m"}}, {}))
    assert not is_contract_error(None)


def test_classification_alone_never_imports_openai() -> None:
    import subprocess
    import sys

    code = "import sys, error_contract; error_contract.classify({'object': 'response', 'status': 'failed'}); print('openai' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), check=True)
    assert out.stdout.strip() == "False"
