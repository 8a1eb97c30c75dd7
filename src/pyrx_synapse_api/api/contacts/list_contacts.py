# Generated from openapi.yaml by openapi-python-client (`make generate`).
# Do not edit by hand: change the spec or generator-config.yaml instead.
from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.contact_list import ContactList
from ...models.error import Error
from ...models.forbidden_error import ForbiddenError
from ...models.list_contacts_sort_by import (
    ListContactsSortBy,
)
from ...models.list_contacts_sort_order import (
    ListContactsSortOrder,
)
from ...models.validation_error import ValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    search: str | Unset = UNSET,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    sort_by: ListContactsSortBy | Unset = "created_at",
    sort_order: ListContactsSortOrder | Unset = "desc",
) -> dict[str, Any]:
    params: dict[str, Any] = {}

    params["search"] = search

    params["page"] = page

    params["per_page"] = per_page

    json_sort_by: str | Unset = UNSET
    if not isinstance(sort_by, Unset):
        json_sort_by = sort_by

    params["sort_by"] = json_sort_by

    json_sort_order: str | Unset = UNSET
    if not isinstance(sort_order, Unset):
        json_sort_order = sort_order

    params["sort_order"] = json_sort_order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/contacts",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ContactList | Error | ForbiddenError | ValidationError:
    if response.status_code == 200:
        response_200 = ContactList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ForbiddenError.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = ValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    response_default = Error.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ContactList | Error | ForbiddenError | ValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    search: str | Unset = UNSET,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    sort_by: ListContactsSortBy | Unset = "created_at",
    sort_order: ListContactsSortOrder | Unset = "desc",
) -> Response[ContactList | Error | ForbiddenError | ValidationError]:
    """List contacts, one page at a time

    Args:
        search (str | Unset):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 20.
        sort_by (ListContactsSortBy | Unset):  Default: 'created_at'.
        sort_order (ListContactsSortOrder | Unset):  Default: 'desc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactList | Error | ForbiddenError | ValidationError]
    """

    kwargs = _get_kwargs(
        search=search,
        page=page,
        per_page=per_page,
        sort_by=sort_by,
        sort_order=sort_order,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    search: str | Unset = UNSET,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    sort_by: ListContactsSortBy | Unset = "created_at",
    sort_order: ListContactsSortOrder | Unset = "desc",
) -> ContactList | Error | ForbiddenError | ValidationError | None:
    """List contacts, one page at a time

    Args:
        search (str | Unset):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 20.
        sort_by (ListContactsSortBy | Unset):  Default: 'created_at'.
        sort_order (ListContactsSortOrder | Unset):  Default: 'desc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactList | Error | ForbiddenError | ValidationError
    """

    return sync_detailed(
        client=client,
        search=search,
        page=page,
        per_page=per_page,
        sort_by=sort_by,
        sort_order=sort_order,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    search: str | Unset = UNSET,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    sort_by: ListContactsSortBy | Unset = "created_at",
    sort_order: ListContactsSortOrder | Unset = "desc",
) -> Response[ContactList | Error | ForbiddenError | ValidationError]:
    """List contacts, one page at a time

    Args:
        search (str | Unset):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 20.
        sort_by (ListContactsSortBy | Unset):  Default: 'created_at'.
        sort_order (ListContactsSortOrder | Unset):  Default: 'desc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactList | Error | ForbiddenError | ValidationError]
    """

    kwargs = _get_kwargs(
        search=search,
        page=page,
        per_page=per_page,
        sort_by=sort_by,
        sort_order=sort_order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    search: str | Unset = UNSET,
    page: int | Unset = 1,
    per_page: int | Unset = 20,
    sort_by: ListContactsSortBy | Unset = "created_at",
    sort_order: ListContactsSortOrder | Unset = "desc",
) -> ContactList | Error | ForbiddenError | ValidationError | None:
    """List contacts, one page at a time

    Args:
        search (str | Unset):
        page (int | Unset):  Default: 1.
        per_page (int | Unset):  Default: 20.
        sort_by (ListContactsSortBy | Unset):  Default: 'created_at'.
        sort_order (ListContactsSortOrder | Unset):  Default: 'desc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactList | Error | ForbiddenError | ValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            search=search,
            page=page,
            per_page=per_page,
            sort_by=sort_by,
            sort_order=sort_order,
        )
    ).parsed
