# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_object import JsonObject


T = TypeVar("T", bound="TemplatePreviewRequest")


@_attrs_define
class TemplatePreviewRequest:
    """
    Attributes:
        contact (JsonObject | Unset): Free-form JSON object.
        event (JsonObject | Unset): Free-form JSON object.
    """

    contact: JsonObject | Unset = UNSET
    event: JsonObject | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contact: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact, Unset):
            contact = self.contact.to_dict()

        event: dict[str, Any] | Unset = UNSET
        if not isinstance(self.event, Unset):
            event = self.event.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if contact is not UNSET:
            field_dict["contact"] = contact
        if event is not UNSET:
            field_dict["event"] = event

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.json_object import JsonObject

        d = dict(src_dict)
        _contact = d.pop("contact", UNSET)
        contact: JsonObject | Unset
        if isinstance(_contact, Unset):
            contact = UNSET
        else:
            contact = JsonObject.from_dict(_contact)

        _event = d.pop("event", UNSET)
        event: JsonObject | Unset
        if isinstance(_event, Unset):
            event = UNSET
        else:
            event = JsonObject.from_dict(_event)

        template_preview_request = cls(
            contact=contact,
            event=event,
        )

        template_preview_request.additional_properties = d
        return template_preview_request

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
