# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_update_request_content_type import (
    TemplateUpdateRequestContentType,
    check_template_update_request_content_type,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="TemplateUpdateRequest")


@_attrs_define
class TemplateUpdateRequest:
    """
    Attributes:
        name (str | Unset):
        subject (str | Unset):
        body_html (str | Unset):
        sender_name (str | Unset):
        from_email (str | Unset):
        reply_to (None | str | Unset):
        content_type (TemplateUpdateRequestContentType | Unset):
    """

    name: str | Unset = UNSET
    subject: str | Unset = UNSET
    body_html: str | Unset = UNSET
    sender_name: str | Unset = UNSET
    from_email: str | Unset = UNSET
    reply_to: None | str | Unset = UNSET
    content_type: TemplateUpdateRequestContentType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        subject = self.subject

        body_html = self.body_html

        sender_name = self.sender_name

        from_email = self.from_email

        reply_to: None | str | Unset
        if isinstance(self.reply_to, Unset):
            reply_to = UNSET
        else:
            reply_to = self.reply_to

        content_type: str | Unset = UNSET
        if not isinstance(self.content_type, Unset):
            content_type = self.content_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if subject is not UNSET:
            field_dict["subject"] = subject
        if body_html is not UNSET:
            field_dict["body_html"] = body_html
        if sender_name is not UNSET:
            field_dict["sender_name"] = sender_name
        if from_email is not UNSET:
            field_dict["from_email"] = from_email
        if reply_to is not UNSET:
            field_dict["reply_to"] = reply_to
        if content_type is not UNSET:
            field_dict["content_type"] = content_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        subject = d.pop("subject", UNSET)

        body_html = d.pop("body_html", UNSET)

        sender_name = d.pop("sender_name", UNSET)

        from_email = d.pop("from_email", UNSET)

        def _parse_reply_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reply_to = _parse_reply_to(d.pop("reply_to", UNSET))

        _content_type = d.pop("content_type", UNSET)
        content_type: TemplateUpdateRequestContentType | Unset
        if isinstance(_content_type, Unset):
            content_type = UNSET
        else:
            content_type = check_template_update_request_content_type(_content_type)

        template_update_request = cls(
            name=name,
            subject=subject,
            body_html=body_html,
            sender_name=sender_name,
            from_email=from_email,
            reply_to=reply_to,
            content_type=content_type,
        )

        template_update_request.additional_properties = d
        return template_update_request

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
