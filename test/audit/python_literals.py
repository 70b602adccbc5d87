"""Print, as JSON, every failure-bearing string-literal field of the installed Python `openai` SDK.

Run with the project's venv: `.venv/bin/python test/audit/python_literals.py [package]` (default
`openai.types`). Reads nothing but the installed package and writes nothing but stdout. The failure-bearing
rule is the one in test/audit/README.md, shared with the Node extractor (test/audit/node-literals.ts):

- a field of a pydantic model declared in a module of `openai.types` (the request TypedDicts of *_param modules
  are not models and are skipped), keyed `<module>.<Class>.<field>` at the class that declares it;
- a discriminated union (a type alias of the module, e.g. `ResponseStreamEvent`), keyed `<module>.<Alias>.<tag>`,
  whose values are the tags of its member models;
- whose annotation holds string literals (through Optional, Union, List, Dict, Annotated and aliases); and
- which is failure-bearing: named finish_reason, error_type or error_code; or named code, type or reason and
  declared by an error or incomplete-details object (class name containing error, incomplete or status_details,
  any case); or named status, code, reason, type or event with a literal holding a failure word (failed, failure,
  error, errored, incomplete, expired, cancelled, canceled, cancelling). A single-literal `type` or `event` of a
  model is a discriminator: it is reported through the unions it belongs to, not alone.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import re
import sys
import typing
from typing import Any

import pydantic
import typing_extensions

import openai

FAILURE_WORDS = {"failed", "failure", "error", "errored", "incomplete", "expired", "cancelled", "canceled", "cancelling"}
VOCABULARY_NAMES = {"status", "code", "reason", "finish_reason", "type", "event", "error_type", "error_code"}
OBJECT_FIELD_NAMES = {"code", "type", "reason", "error_type", "error_code"}
DISCRIMINATORS = ("type", "event")
ALWAYS = {"finish_reason", "error_type", "error_code"}
FAILURE_OBJECT = re.compile(r"error|incomplete|status_?details", re.IGNORECASE)


def has_failure_word(value: str) -> bool:
    return any(token in FAILURE_WORDS for token in re.split(r"[._\-\s/]+", value.lower()))


def failure_bearing(name: str, owner: str, values: list[str], discriminator: bool) -> bool:
    if name not in VOCABULARY_NAMES:
        return False
    if name in ALWAYS:
        return True
    if discriminator:
        return any(has_failure_word(v) for v in values)
    if name in DISCRIMINATORS and len(values) == 1:
        return False  # a model's own tag: reported through its unions
    if name in OBJECT_FIELD_NAMES and FAILURE_OBJECT.search(owner):
        return True
    return any(has_failure_word(v) for v in values)


def literals(annotation: Any, seen: set[int] | None = None) -> tuple[list[str], bool]:
    """The string literals of an annotation, and whether it also admits any other string (open vocabulary)."""
    seen = seen if seen is not None else set()
    if id(annotation) in seen:
        return [], False
    seen.add(id(annotation))
    if annotation is str:
        return [], True
    origin = typing.get_origin(annotation)
    if origin in (typing.Literal, typing_extensions.Literal):
        return [a for a in typing.get_args(annotation) if isinstance(a, str)], False
    if isinstance(annotation, typing.TypeVar) or origin is None:
        return [], False
    if origin is typing_extensions.Annotated or origin is typing.Annotated:
        return literals(typing.get_args(annotation)[0], seen)
    if origin is dict or origin is typing.Dict:
        args = typing.get_args(annotation)
        return literals(args[1], seen) if len(args) == 2 else ([], False)
    out: list[str] = []
    open_ = False
    for arg in typing.get_args(annotation):  # Union, Optional, List, Sequence, Iterable, ...
        values, o = literals(arg, seen)
        out += [v for v in values if v not in out]
        open_ = open_ or o
    return out, open_


def models_of(annotation: Any, seen: set[int] | None = None) -> list[type]:
    """The pydantic models an annotation refers to (through Optional, Union, List, Annotated)."""
    seen = seen if seen is not None else set()
    if id(annotation) in seen:
        return []
    seen.add(id(annotation))
    if inspect.isclass(annotation) and issubclass(annotation, pydantic.BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is None or origin in (typing.Literal, typing_extensions.Literal):
        return []
    args = typing.get_args(annotation)
    if origin in (typing.Annotated, typing_extensions.Annotated):
        args = args[:1]
    out: list[type] = []
    for arg in args:
        out += [m for m in models_of(arg, seen) if m not in out]
    return out


def qualname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def declared_aliases(module: Any) -> list[str]:
    """Names assigned at the top level of a module's source (its own type aliases, not the imported ones)."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names.append(node.target.id)
    return names


def own_fields(cls: type) -> dict[str, Any]:
    own = cls.__dict__.get("__annotations__", {})
    return {name: info.annotation for name, info in cls.model_fields.items() if name in own}


def main(package_name: str = "openai.types") -> None:
    package = importlib.import_module(package_name)
    fields: dict[str, dict[str, Any]] = {}
    via: dict[str, list[str]] = {}
    errors: list[str] = []
    modules: list[Any] = []
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
        try:
            modules.append(importlib.import_module(info.name))
        except Exception as err:  # noqa: BLE001 - reported, and the test fails on it
            errors.append(f"{info.name}: {type(err).__name__}: {err}")

    def emit(key: str, name: str, owner: str, values: list[str], open_: bool, discriminator: bool, module: Any) -> None:
        if values and failure_bearing(name, owner, values, discriminator):
            fields[key] = {
                "values": values,
                "open": open_,
                "kind": "union" if discriminator else "field",
                "file": (module.__file__ or "").split("site-packages/")[-1],
            }

    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, pydantic.BaseModel) or "[" in cls.__name__:
                continue
            for name, annotation in own_fields(cls).items():
                for model in models_of(annotation):
                    via.setdefault(qualname(model), []).append(f"{qualname(cls)}.{name}")
                values, open_ = literals(annotation)
                emit(f"{qualname(cls)}.{name}", name, cls.__qualname__, values, open_, False, module)
        for alias in declared_aliases(module):
            value = getattr(module, alias, None)
            members = models_of(value) if typing.get_origin(value) is not None else []
            if len(members) < 2:
                continue
            for tag in DISCRIMINATORS:
                tags: list[str] = []
                for member in members:
                    field = member.model_fields.get(tag)
                    values = literals(field.annotation)[0] if field else []
                    tags += [v for v in values if v not in tags]
                emit(f"{module.__name__}.{alias}.{tag}", tag, alias, tags, False, True, module)

    for key, field in fields.items():
        owner = key.rsplit(".", 1)[0]
        if field["kind"] == "field" and owner in via:
            field["via"] = sorted(set(via[owner]))
    json.dump(
        {"sdk": "python", "package": "openai", "version": openai.__version__, "errors": errors, "fields": dict(sorted(fields.items()))},
        sys.stdout,
        indent=1,
    )


if __name__ == "__main__":
    main(*sys.argv[1:2])  # another package of models may be named, for the extractor's own tests
