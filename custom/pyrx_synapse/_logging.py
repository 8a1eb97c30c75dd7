"""The package logger, and the SYNAPSE_LOG switch that turns it on.

Everything logs under ``pyrx_synapse``, which has a NullHandler so an app that
configures nothing sees nothing. ``SYNAPSE_LOG=info`` prints one line per
retry; ``SYNAPSE_LOG=debug`` adds one line per request (method, path, status,
time, request id). Log records never hold an API key, a body or a header set.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger("pyrx_synapse")
logger.addHandler(logging.NullHandler())

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_configured = False


def configure_from_env() -> None:
    """Apply SYNAPSE_LOG once per process; later calls do nothing."""
    global _configured
    if _configured:
        return
    _configured = True
    level = _LEVELS.get(os.environ.get("SYNAPSE_LOG", "").strip().lower())
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s")
    )
    logger.addHandler(handler)
    logger.setLevel(level)
