# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from typing import Literal, cast

TemplateCreateRequestContentType = Literal["html", "text"]

TEMPLATE_CREATE_REQUEST_CONTENT_TYPE_VALUES: set[TemplateCreateRequestContentType] = {
    "html",
    "text",
}


def check_template_create_request_content_type(
    value: str,
) -> TemplateCreateRequestContentType:
    if value in TEMPLATE_CREATE_REQUEST_CONTENT_TYPE_VALUES:
        return cast(TemplateCreateRequestContentType, value)
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TEMPLATE_CREATE_REQUEST_CONTENT_TYPE_VALUES!r}"
    )
