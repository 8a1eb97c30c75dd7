# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.bulk_row_error import BulkRowError


T = TypeVar("T", bound="BulkIdentifyResponse")


@_attrs_define
class BulkIdentifyResponse:
    """
    Attributes:
        total (int):
        created (int):
        updated (int):
        skipped (int):
        errors (list[BulkRowError]):
    """

    total: int
    created: int
    updated: int
    skipped: int
    errors: list[BulkRowError]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        created = self.created

        updated = self.updated

        skipped = self.skipped

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total": total,
                "created": created,
                "updated": updated,
                "skipped": skipped,
                "errors": errors,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bulk_row_error import BulkRowError

        d = dict(src_dict)
        total = d.pop("total")

        created = d.pop("created")

        updated = d.pop("updated")

        skipped = d.pop("skipped")

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = BulkRowError.from_dict(errors_item_data)

            errors.append(errors_item)

        bulk_identify_response = cls(
            total=total,
            created=created,
            updated=updated,
            skipped=skipped,
            errors=errors,
        )

        bulk_identify_response.additional_properties = d
        return bulk_identify_response

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
