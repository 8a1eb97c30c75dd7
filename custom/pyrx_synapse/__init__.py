"""PYRX Synapse Python SDK: track events, identify contacts, send email, verify webhooks.

::

    from pyrx_synapse import Synapse

    with Synapse() as client:  # SYNAPSE_API_KEY and SYNAPSE_WORKSPACE_ID
        client.track(external_id="user_123", event_name="purchase")

``AsyncSynapse`` is the same over asyncio. ``client.raw`` is the generated
``pyrx_synapse_api`` client for calling endpoint functions directly, and
``pyrx_synapse.testing`` runs a local Synapse inside your tests.
"""

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
