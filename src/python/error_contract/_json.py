"""An observation as JSON: a dict stays as it is; an openai pydantic model becomes the JSON the API sent."""

from __future__ import annotations

from typing import Any

__all__ = ["to_json"]


def to_json(obj: Any) -> Any:
    """The JSON value of ``obj``: dicts, lists and scalars unchanged; a pydantic model (an openai type) as the dict
    of the fields the API sent (``to_dict``: API names, JSON values, unset fields left out), so that a model and the
    JSON it was parsed from classify the same."""
    if type(obj) is dict:
        return obj
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict) and hasattr(obj, "model_fields_set"):
        try:
            return to_dict(mode="json", use_api_names=True, exclude_unset=True)
        except TypeError:
            pass
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        try:
            return dump(mode="json", by_alias=True, exclude_unset=True)
        except Exception:  # a model that cannot be dumped is no observation
            return None
    return obj
