"""The JSON Schema of the export (``export.schema.json``, shipped with the server).

Its ``$id`` carries the version: a change that could break a reader of version 1 makes a new
file with a new ``$id`` and a new ``version`` in the export; additions a reader may ignore do
not (docs/exports.md, "Versions").
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("export.schema.json")


@cache
def schema() -> dict[str, Any]:
    """The schema as JSON data (read once)."""
    loaded: dict[str, Any] = json.loads(PATH.read_text("utf-8"))
    return loaded
