"""The JSON Schema of the output contract, shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any


@lru_cache(maxsize=1)
def extraction_schema() -> dict[str, Any]:
    return json.loads(files(__name__).joinpath("extraction.schema.json").read_text(encoding="utf-8"))
