# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from typing import Literal, cast

BulkIdentifyRequestOnConflict = Literal["merge", "replace", "skip"]

BULK_IDENTIFY_REQUEST_ON_CONFLICT_VALUES: set[BulkIdentifyRequestOnConflict] = {
    "merge",
    "replace",
    "skip",
}


def check_bulk_identify_request_on_conflict(
    value: str,
) -> BulkIdentifyRequestOnConflict:
    if value in BULK_IDENTIFY_REQUEST_ON_CONFLICT_VALUES:
        return cast(BulkIdentifyRequestOnConflict, value)
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {BULK_IDENTIFY_REQUEST_ON_CONFLICT_VALUES!r}"
    )
