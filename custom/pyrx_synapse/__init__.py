"""PYRX Synapse Python SDK: track events, identify contacts, send email, verify webhooks.

::

    from pyrx_synapse import Synapse

    with Synapse() as client:  # SYNAPSE_API_KEY and SYNAPSE_WORKSPACE_ID
        client.track(external_id="user_123", event_name="purchase")

``AsyncSynapse`` is the same over asyncio. ``client.raw`` is the generated
``pyrx_synapse_api`` client for calling endpoint functions directly, and
``pyrx_synapse.testing`` runs a local Synapse inside your tests.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from ._async_client import AsyncSynapse
from ._client import Synapse
from ._errors import (
    SynapseAuthError,
    SynapseConflictError,
    SynapseConnectionError,
    SynapseError,
    SynapseNotFoundError,
    SynapsePlanLimitError,
    SynapseRateLimitError,
    SynapseResponseError,
    SynapseServerError,
    SynapseTimeoutError,
    SynapseValidationError,
    SynapseWebhookError,
)
from ._retry import RetryPolicy
from ._transport import __version__

if _TYPE_CHECKING:
    from ._types import (
        BatchTrackResponse,
        BulkContactResponse,
        ContactListMeta,
        ContactListParams,
        ContactListResponse,
        ContactResponse,
        ContactUpdateParams,
        IdentifyParams,
        SendParams,
        SendResponse,
        SendToParams,
        TemplateCreateParams,
        TemplatePreviewParams,
        TemplatePreviewResponse,
        TemplateResponse,
        TemplateUpdateParams,
        TrackParams,
        TrackResponse,
    )
    from ._webhooks import sign_webhook, verify_webhook

# Result types and webhook helpers load on first use: building dataclasses is
# the largest part of this package's import time.
_LAZY = {
    "BatchTrackResponse": "._types",
    "BulkContactResponse": "._types",
    "ContactListMeta": "._types",
    "ContactListParams": "._types",
    "ContactListResponse": "._types",
    "ContactResponse": "._types",
    "ContactUpdateParams": "._types",
    "IdentifyParams": "._types",
    "SendParams": "._types",
    "SendResponse": "._types",
    "SendToParams": "._types",
    "TemplateCreateParams": "._types",
    "TemplatePreviewParams": "._types",
    "TemplatePreviewResponse": "._types",
    "TemplateResponse": "._types",
    "TemplateUpdateParams": "._types",
    "TrackParams": "._types",
    "TrackResponse": "._types",
    "sign_webhook": "._webhooks",
    "verify_webhook": "._webhooks",
}


def __getattr__(name: str) -> _Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module_name, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AsyncSynapse",
    "BatchTrackResponse",
    "BulkContactResponse",
    "ContactListMeta",
    "ContactListParams",
    "ContactListResponse",
    "ContactResponse",
    "ContactUpdateParams",
    "IdentifyParams",
    "RetryPolicy",
    "SendParams",
    "SendResponse",
    "SendToParams",
    "Synapse",
    "SynapseAuthError",
    "SynapseConflictError",
    "SynapseConnectionError",
    "SynapseError",
    "SynapseNotFoundError",
    "SynapsePlanLimitError",
    "SynapseRateLimitError",
    "SynapseResponseError",
    "SynapseServerError",
    "SynapseTimeoutError",
    "SynapseValidationError",
    "SynapseWebhookError",
    "TemplateCreateParams",
    "TemplatePreviewParams",
    "TemplatePreviewResponse",
    "TemplateResponse",
    "TemplateUpdateParams",
    "TrackParams",
    "TrackResponse",
    "__version__",
    "sign_webhook",
    "verify_webhook",
]
