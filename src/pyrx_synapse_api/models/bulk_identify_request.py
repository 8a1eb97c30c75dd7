# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bulk_identify_request_on_conflict import (
    BulkIdentifyRequestOnConflict,
    check_bulk_identify_request_on_conflict,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identify_request import IdentifyRequest


T = TypeVar("T", bound="BulkIdentifyRequest")


@_attrs_define
class BulkIdentifyRequest:
    """
    Attributes:
        contacts (list[IdentifyRequest]):
        on_conflict (BulkIdentifyRequestOnConflict | Unset): What to do with a contact that already exists: merge the
            given
            fields into it, skip it, or replace it with exactly the given fields.
             Default: 'merge'.
    """

    contacts: list[IdentifyRequest]
    on_conflict: BulkIdentifyRequestOnConflict | Unset = "merge"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contacts = []
        for contacts_item_data in self.contacts:
            contacts_item = contacts_item_data.to_dict()
            contacts.append(contacts_item)

        on_conflict: str | Unset = UNSET
        if not isinstance(self.on_conflict, Unset):
            on_conflict = self.on_conflict

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contacts": contacts,
            }
        )
        if on_conflict is not UNSET:
            field_dict["on_conflict"] = on_conflict

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identify_request import IdentifyRequest

        d = dict(src_dict)
        contacts = []
        _contacts = d.pop("contacts")
        for contacts_item_data in _contacts:
            contacts_item = IdentifyRequest.from_dict(contacts_item_data)

            contacts.append(contacts_item)

        _on_conflict = d.pop("on_conflict", UNSET)
        on_conflict: BulkIdentifyRequestOnConflict | Unset
        if isinstance(_on_conflict, Unset):
            on_conflict = UNSET
        else:
            on_conflict = check_bulk_identify_request_on_conflict(_on_conflict)

        bulk_identify_request = cls(
            contacts=contacts,
            on_conflict=on_conflict,
        )

        bulk_identify_request.additional_properties = d
        return bulk_identify_request

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
