"""Validate each record against the published JSON Schema (newscrawl/schema).

A record without a title or body is dropped as ``missing_title`` / ``missing_body``; any other
schema violation as ``invalid_<field>`` (``invalid_record`` when no field is to blame).
``ValidatePipeline`` (newscrawl/pipelines/) counts each reason under
``archive/dropped/<reason>``.

:class:`RecordValidator` is what the crawl validates with: jsonschema walks the schema anew
for every record (0.5 ms a record on the crawl's thread), fastjsonschema compiles it to
Python once (~30x faster). The compiled check answers only "valid"; a record it refuses is
judged again by jsonschema, which gives the reason (and has the last word), so a check
stricter than the schema costs time, never a record. Looser would: the schema uses only
keywords whose meaning draft-07 (the newest draft fastjsonschema compiles) and 2020-12
share (tests/archive/test_validate.py holds it to that, and to agreement on altered records).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, ValidationError

from newscrawl.record import load_schema

# Keywords that mean the same in draft-07 and 2020-12 ("items" as one schema, not a list).
SHARED_KEYWORDS = frozenset([
    "$id", "$schema", "title", "description", "type", "properties", "required",
    "additionalProperties", "anyOf", "const", "enum", "format", "items", "minLength",
    "minimum", "pattern",
])


class RecordValidator:
    """The record schema, checked compiled first (see the module docstring)."""

    def __init__(self, schema: dict[str, Any] | None = None) -> None:
        schema = schema if schema is not None else load_schema()
        self.full = Draft202012Validator(schema)
        as_draft7 = {**schema, "$schema": "http://json-schema.org/draft-07/schema#"}
        # use_default=False: the check must never fill fields into the record it reads;
        # use_formats=False: "format" is an annotation, as for the pipeline's jsonschema.
        self._compiled = fastjsonschema.compile(as_draft7, use_default=False,
                                                use_formats=False)

    def passes_compiled(self, data: dict[str, Any]) -> bool:
        try:
            self._compiled(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    def iter_errors(self, data: dict[str, Any]) -> Iterator[ValidationError]:
        """jsonschema's errors for ``data``; none, without asking it, when the compiled
        check passes."""
        if self.passes_compiled(data):
            return iter(())
        return self.full.iter_errors(data)


def drop_reason(data: dict[str, Any],
                validator: Draft202012Validator | RecordValidator) -> str | None:
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
