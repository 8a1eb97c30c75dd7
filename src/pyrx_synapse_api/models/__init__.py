# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
"""Contains all the data models used in inputs/outputs"""

from .bulk_identify_request import BulkIdentifyRequest
from .bulk_identify_request_on_conflict import BulkIdentifyRequestOnConflict
from .bulk_identify_response import BulkIdentifyResponse
from .bulk_row_error import BulkRowError
from .contact import Contact
from .contact_created_webhook import ContactCreatedWebhook
from .contact_deleted_webhook import ContactDeletedWebhook
from .contact_deleted_webhook_data import ContactDeletedWebhookData
from .contact_list import ContactList
from .contact_update_request import ContactUpdateRequest
from .contact_updated_webhook import ContactUpdatedWebhook
from .email_bounced_webhook import EmailBouncedWebhook
from .email_delivered_webhook import EmailDeliveredWebhook
from .email_sent_webhook import EmailSentWebhook
from .email_webhook_data import EmailWebhookData
from .error import Error
from .event_ingested_webhook import EventIngestedWebhook
from .event_ingested_webhook_data import EventIngestedWebhookData
from .field_error import FieldError
from .forbidden_error import ForbiddenError
from .identify_request import IdentifyRequest
from .json_object import JsonObject
from .list_contacts_sort_by import ListContactsSortBy
from .list_contacts_sort_order import ListContactsSortOrder
from .list_meta import ListMeta
from .send_recipient import SendRecipient
from .send_request import SendRequest
from .send_response import SendResponse
from .template import Template
from .template_create_request import TemplateCreateRequest
from .template_create_request_content_type import TemplateCreateRequestContentType
from .template_preview import TemplatePreview
from .template_preview_request import TemplatePreviewRequest
from .template_update_request import TemplateUpdateRequest
from .template_update_request_content_type import TemplateUpdateRequestContentType
from .track_batch_request import TrackBatchRequest
from .track_batch_response import TrackBatchResponse
from .track_event_request import TrackEventRequest
from .track_event_response import TrackEventResponse
from .validation_error import ValidationError
from .webhook_contact_data import WebhookContactData

__all__ = (
    "BulkIdentifyRequest",
    "BulkIdentifyRequestOnConflict",
    "BulkIdentifyResponse",
    "BulkRowError",
    "Contact",
    "ContactCreatedWebhook",
    "ContactDeletedWebhook",
    "ContactDeletedWebhookData",
    "ContactList",
    "ContactUpdateRequest",
    "ContactUpdatedWebhook",
    "EmailBouncedWebhook",
    "EmailDeliveredWebhook",
    "EmailSentWebhook",
    "EmailWebhookData",
    "Error",
    "EventIngestedWebhook",
    "EventIngestedWebhookData",
    "FieldError",
    "ForbiddenError",
    "IdentifyRequest",
    "JsonObject",
    "ListContactsSortBy",
    "ListContactsSortOrder",
    "ListMeta",
    "SendRecipient",
    "SendRequest",
    "SendResponse",
    "Template",
    "TemplateCreateRequest",
    "TemplateCreateRequestContentType",
    "TemplatePreview",
    "TemplatePreviewRequest",
    "TemplateUpdateRequest",
    "TemplateUpdateRequestContentType",
    "TrackBatchRequest",
    "TrackBatchResponse",
    "TrackEventRequest",
    "TrackEventResponse",
    "ValidationError",
    "WebhookContactData",
)
