# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from typing import Literal, cast

TemplateUpdateRequestContentType = Literal["html", "text"]

TEMPLATE_UPDATE_REQUEST_CONTENT_TYPE_VALUES: set[TemplateUpdateRequestContentType] = {
    "html",
    "text",
}


def check_template_update_request_content_type(
    value: str,
) -> TemplateUpdateRequestContentType:
    if value in TEMPLATE_UPDATE_REQUEST_CONTENT_TYPE_VALUES:
        return cast(TemplateUpdateRequestContentType, value)
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TEMPLATE_UPDATE_REQUEST_CONTENT_TYPE_VALUES!r}"
    )
