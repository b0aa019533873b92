"""Validate each record against the published JSON Schema (newscrawl/schema).

A record without a title or body is dropped as ``missing_title`` / ``missing_body``; any other
schema violation as ``invalid_<field>`` (``invalid_record`` when no field is to blame).
``ValidatePipeline`` (newscrawl/pipelines/) counts each reason under
``archive/dropped/<reason>``.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator


def drop_reason(data: dict[str, Any], validator: Draft202012Validator) -> str | None:
    """Why ``data`` is not a valid record, as ``reason: detail``; None when it is valid."""
    for key in ("title", "body"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"missing_{key}: the record has no {key}"
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    error = errors[0]
    path = [str(p) for p in error.absolute_path]
    if path:
        name = path[0]
    elif error.validator == "additionalProperties":
        name = "extra_keys"
    elif error.validator == "required":
        name = "missing_fields"
    else:
        name = "record"
    return f"invalid_{name}: {error.message[:200]}"
