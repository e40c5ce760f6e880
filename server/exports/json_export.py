"""The export as one JSON document (``export.schema.json``): everything, for programs."""

from __future__ import annotations

import json

from .collect import Model


def render(model: Model) -> bytes:
    """UTF-8 JSON, indented so that a person can read it too; names are kept as they are."""
    return json.dumps(model, ensure_ascii=False, indent=2).encode("utf-8")
