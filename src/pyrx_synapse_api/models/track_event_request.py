# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from dateutil.parser import isoparse

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_object import JsonObject


T = TypeVar("T", bound="TrackEventRequest")


@_attrs_define
class TrackEventRequest:
    """
    Attributes:
        external_id (str): Your identifier of the contact the event belongs to.
        event_name (str):
        attributes (JsonObject | Unset): Free-form JSON object.
        contact (JsonObject | Unset): Free-form JSON object.
        idempotency_key (str | Unset):
        occurred_at (datetime.datetime | Unset): When the event happened; defaults to the time of receipt.
    """

    external_id: str
    event_name: str
    attributes: JsonObject | Unset = UNSET
    contact: JsonObject | Unset = UNSET
    idempotency_key: str | Unset = UNSET
    occurred_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        external_id = self.external_id

        event_name = self.event_name

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        contact: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact, Unset):
            contact = self.contact.to_dict()

        idempotency_key = self.idempotency_key

        occurred_at: str | Unset = UNSET
        if not isinstance(self.occurred_at, Unset):
            occurred_at = self.occurred_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "external_id": external_id,
                "event_name": event_name,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if contact is not UNSET:
            field_dict["contact"] = contact
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key
        if occurred_at is not UNSET:
            field_dict["occurred_at"] = occurred_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.json_object import JsonObject

        d = dict(src_dict)
        external_id = d.pop("external_id")

        event_name = d.pop("event_name")

        _attributes = d.pop("attributes", UNSET)
        attributes: JsonObject | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = JsonObject.from_dict(_attributes)

        _contact = d.pop("contact", UNSET)
        contact: JsonObject | Unset
        if isinstance(_contact, Unset):
            contact = UNSET
        else:
            contact = JsonObject.from_dict(_contact)

        idempotency_key = d.pop("idempotency_key", UNSET)

        _occurred_at = d.pop("occurred_at", UNSET)
        occurred_at: datetime.datetime | Unset
        if isinstance(_occurred_at, Unset):
            occurred_at = UNSET
        else:
            occurred_at = isoparse(_occurred_at)

        track_event_request = cls(
            external_id=external_id,
            event_name=event_name,
            attributes=attributes,
            contact=contact,
            idempotency_key=idempotency_key,
            occurred_at=occurred_at,
        )

        track_event_request.additional_properties = d
        return track_event_request

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
