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
    from ..models.send_recipient import SendRecipient


T = TypeVar("T", bound="SendRequest")


@_attrs_define
class SendRequest:
    """
    Attributes:
        template_slug (str):
        to (SendRecipient):
        attributes (JsonObject | Unset): Free-form JSON object.
        idempotency_key (str | Unset):
    """

    template_slug: str
    to: SendRecipient
    attributes: JsonObject | Unset = UNSET
    idempotency_key: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        template_slug = self.template_slug

        to = self.to.to_dict()

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        idempotency_key = self.idempotency_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "template_slug": template_slug,
                "to": to,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.json_object import JsonObject
        from ..models.send_recipient import SendRecipient

        d = dict(src_dict)
        template_slug = d.pop("template_slug")

        to = SendRecipient.from_dict(d.pop("to"))

        _attributes = d.pop("attributes", UNSET)
        attributes: JsonObject | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = JsonObject.from_dict(_attributes)

        idempotency_key = d.pop("idempotency_key", UNSET)

        send_request = cls(
            template_slug=template_slug,
            to=to,
            attributes=attributes,
            idempotency_key=idempotency_key,
        )

        send_request.additional_properties = d
        return send_request

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
