"""Fails the server's import early, and helpfully, without the ``server`` extra."""

from __future__ import annotations

from importlib.util import find_spec

_MISSING = [
    name for name in ("jinja2", "jsonschema", "yaml") if find_spec(name) is None
]
if _MISSING:
    raise ImportError(
        f"the local Synapse server needs {', '.join(_MISSING)}: "
        'pip install "pyrx-synapse[server]"'
    )
