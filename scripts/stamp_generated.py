"""Put the do-not-edit header on every file that `make generate` wrote.

Usage: python scripts/stamp_generated.py DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

HEADER = (
    "# Generated from openapi.yaml by openapi-python-client (`make generate`).\n"
    "# Do not edit by hand: change the spec or generator-config.yaml instead.\n"
)


def stamp(root: Path) -> int:
    count = 0
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith(HEADER):
            path.write_text(HEADER + text, encoding="utf-8")
        count += 1
    return count


if __name__ == "__main__":
    print(f"stamped {stamp(Path(sys.argv[1]))} generated files")
