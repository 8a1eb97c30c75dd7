# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TrackEventResponse")


@_attrs_define
class TrackEventResponse:
    """
    Attributes:
        event_id (str):
        status (str): accepted; or duplicate when another request (such as a batch) already
            stored an event under this idempotency key. Repeating the very same
            request returns its first response unchanged.
    """

    event_id: str
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = d.pop("event_id")

        status = d.pop("status")

        track_event_response = cls(
            event_id=event_id,
            status=status,
        )

        track_event_response.additional_properties = d
        return track_event_response

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
