# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from typing import Literal, cast

ListContactsSortBy = Literal[
    "created_at", "email", "external_id", "first_name", "last_name", "updated_at"
]

LIST_CONTACTS_SORT_BY_VALUES: set[ListContactsSortBy] = {
    "created_at",
    "email",
    "external_id",
    "first_name",
    "last_name",
    "updated_at",
}


def check_list_contacts_sort_by(value: str) -> ListContactsSortBy:
    if value in LIST_CONTACTS_SORT_BY_VALUES:
        return cast(ListContactsSortBy, value)
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CONTACTS_SORT_BY_VALUES!r}"
    )
