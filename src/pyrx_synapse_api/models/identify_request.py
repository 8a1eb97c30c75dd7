# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_object import JsonObject


T = TypeVar("T", bound="IdentifyRequest")


@_attrs_define
class IdentifyRequest:
    """
    Attributes:
        external_id (str):
        email (str | Unset):
        phone (str | Unset):
        first_name (str | Unset):
        last_name (str | Unset):
        timezone (str | Unset):
        locale (str | Unset):
        properties (JsonObject | Unset): Free-form JSON object.
        tags (list[str] | Unset):
    """

    external_id: str
    email: str | Unset = UNSET
    phone: str | Unset = UNSET
    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    timezone: str | Unset = UNSET
    locale: str | Unset = UNSET
    properties: JsonObject | Unset = UNSET
    tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        external_id = self.external_id

        email = self.email

        phone = self.phone

        first_name = self.first_name

        last_name = self.last_name

        timezone = self.timezone

        locale = self.locale

        properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.properties, Unset):
            properties = self.properties.to_dict()

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "external_id": external_id,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if locale is not UNSET:
            field_dict["locale"] = locale
        if properties is not UNSET:
            field_dict["properties"] = properties
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.json_object import JsonObject

        d = dict(src_dict)
        external_id = d.pop("external_id")

        email = d.pop("email", UNSET)

        phone = d.pop("phone", UNSET)

        first_name = d.pop("first_name", UNSET)

        last_name = d.pop("last_name", UNSET)

        timezone = d.pop("timezone", UNSET)

        locale = d.pop("locale", UNSET)

        _properties = d.pop("properties", UNSET)
        properties: JsonObject | Unset
        if isinstance(_properties, Unset):
            properties = UNSET
        else:
            properties = JsonObject.from_dict(_properties)

        tags = cast(list[str], d.pop("tags", UNSET))

        identify_request = cls(
            external_id=external_id,
            email=email,
            phone=phone,
            first_name=first_name,
            last_name=last_name,
            timezone=timezone,
            locale=locale,
            properties=properties,
            tags=tags,
        )

        identify_request.additional_properties = d
        return identify_request

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
