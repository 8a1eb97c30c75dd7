# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from typing import Literal, cast

ListContactsSortOrder = Literal["asc", "desc"]

LIST_CONTACTS_SORT_ORDER_VALUES: set[ListContactsSortOrder] = {
    "asc",
    "desc",
}


def check_list_contacts_sort_order(value: str) -> ListContactsSortOrder:
    if value in LIST_CONTACTS_SORT_ORDER_VALUES:
        return cast(ListContactsSortOrder, value)
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CONTACTS_SORT_ORDER_VALUES!r}"
    )
