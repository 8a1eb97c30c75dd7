# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_create_request_content_type import (
    TemplateCreateRequestContentType,
    check_template_create_request_content_type,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="TemplateCreateRequest")


@_attrs_define
class TemplateCreateRequest:
    """
    Attributes:
        name (str):
        slug (str):
        subject (str):
        body_html (str):
        sender_name (str):
        from_email (str):
        reply_to (str | Unset):
        content_type (TemplateCreateRequestContentType | Unset):  Default: 'html'.
    """

    name: str
    slug: str
    subject: str
    body_html: str
    sender_name: str
    from_email: str
    reply_to: str | Unset = UNSET
    content_type: TemplateCreateRequestContentType | Unset = "html"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        slug = self.slug

        subject = self.subject

        body_html = self.body_html

        sender_name = self.sender_name

        from_email = self.from_email

        reply_to = self.reply_to

        content_type: str | Unset = UNSET
        if not isinstance(self.content_type, Unset):
            content_type = self.content_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "slug": slug,
                "subject": subject,
                "body_html": body_html,
                "sender_name": sender_name,
                "from_email": from_email,
            }
        )
        if reply_to is not UNSET:
            field_dict["reply_to"] = reply_to
        if content_type is not UNSET:
            field_dict["content_type"] = content_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        slug = d.pop("slug")

        subject = d.pop("subject")

        body_html = d.pop("body_html")

        sender_name = d.pop("sender_name")

        from_email = d.pop("from_email")

        reply_to = d.pop("reply_to", UNSET)

        _content_type = d.pop("content_type", UNSET)
        content_type: TemplateCreateRequestContentType | Unset
        if isinstance(_content_type, Unset):
            content_type = UNSET
        else:
            content_type = check_template_create_request_content_type(_content_type)

        template_create_request = cls(
            name=name,
            slug=slug,
            subject=subject,
            body_html=body_html,
            sender_name=sender_name,
            from_email=from_email,
            reply_to=reply_to,
            content_type=content_type,
        )

        template_create_request.additional_properties = d
        return template_create_request

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
