# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from dateutil.parser import isoparse

if TYPE_CHECKING:
    from ..models.contact_deleted_webhook_data import ContactDeletedWebhookData


T = TypeVar("T", bound="ContactDeletedWebhook")


@_attrs_define
class ContactDeletedWebhook:
    """
    Attributes:
        type_ (Literal['contact.deleted']):
        timestamp (datetime.datetime):
        data (ContactDeletedWebhookData):
    """

    type_: Literal["contact.deleted"]
    timestamp: datetime.datetime
    data: ContactDeletedWebhookData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        timestamp = self.timestamp.isoformat()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "timestamp": timestamp,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_deleted_webhook_data import ContactDeletedWebhookData

        d = dict(src_dict)
        type_ = cast(Literal["contact.deleted"], d.pop("type"))
        if type_ != "contact.deleted":
            raise ValueError(f"type must match const 'contact.deleted', got '{type_}'")

        timestamp = isoparse(d.pop("timestamp"))

        data = ContactDeletedWebhookData.from_dict(d.pop("data"))

        contact_deleted_webhook = cls(
            type_=type_,
            timestamp=timestamp,
            data=data,
        )

        contact_deleted_webhook.additional_properties = d
        return contact_deleted_webhook

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
