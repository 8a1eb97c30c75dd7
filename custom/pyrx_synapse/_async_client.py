"""The asynchronous client, ``AsyncSynapse``: ``Synapse`` over ``httpx.AsyncClient``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._base import DEFAULT_TIMEOUT, BaseClient
from ._errors import SynapseError
from ._lazy import lazy_module
from ._retry import RetryPolicy
from ._transport import (
    AsyncRetryingTransport,
    async_send_with_retries,
    build_request,
    decode,
)

if TYPE_CHECKING:
    from pyrx_synapse_api import Client as RawClient

    from . import _operations as ops
    from ._types import (
        BatchTrackResponse,
        BulkContactResponse,
        ContactListResponse,
        ContactResponse,
        ContactUpdateParams,
        IdentifyParams,
        OnConflict,
        SendResponse,
        SendToParams,
        SortOrder,
        TemplateCreateParams,
        TemplatePreviewParams,
        TemplatePreviewResponse,
        TemplateResponse,
        TemplateUpdateParams,
        TrackParams,
        TrackResponse,
    )
else:
    # Loaded on the first call; see _operations.
    ops = lazy_module("pyrx_synapse._operations")

T = TypeVar("T")
R = TypeVar("R")


async def _asyncio_sleep(seconds: float) -> None:
    # asyncio is imported on first use: importing it costs more than the rest
    # of this package, and sync-only programs never need it.
    import asyncio

    await asyncio.sleep(seconds)


class AsyncContacts:
    """``client.contacts``: read, change and delete contacts."""

    def __init__(self, client: AsyncSynapse) -> None:
        self._client = client

    async def list(
        self,
        search: str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
    ) -> ContactListResponse:
        """One page of contacts, with the paging totals in ``meta``."""
        query = {
            "search": search,
            "page": page,
            "per_page": per_page,
            "sort_by": sort_by,
            "sort_order": sort_order,
        }
        return await self._client._run(ops.list_contacts(query))

    async def iter(
        self,
        search: str | None = None,
        per_page: int | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
    ) -> AsyncIterator[ContactResponse]:
        """Every contact (``async for``), fetching pages as the loop needs them."""
        page = 1
        while True:
            result = await self.list(search, page, per_page, sort_by, sort_order)
            for contact in result.data:
                yield contact
            if ops.is_last_page(result, page, per_page):
                return
            page += 1

    async def get(self, contact_id: str) -> ContactResponse:
        """One contact, by its id or its external_id."""
        return await self._client._run(ops.get_contact(contact_id))

    async def update(
        self, external_id: str, data: ContactUpdateParams
    ) -> ContactResponse:
        """Change the given fields of a contact; returns the contact after the change."""
        return await self._client._run(ops.update_contact(external_id, data))

    async def delete(self, external_id: str) -> None:
        """Delete a contact."""
        await self._client._run(ops.delete_contact(external_id))


class AsyncTemplates:
    """``client.templates``: manage email templates and preview them."""

    def __init__(self, client: AsyncSynapse) -> None:
        self._client = client

    async def list(self) -> list[TemplateResponse]:
        """Every template of the workspace."""
        return await self._client._run(ops.list_templates())

    async def get(self, slug: str) -> TemplateResponse:
        return await self._client._run(ops.get_template(slug))

    async def create(self, params: TemplateCreateParams) -> TemplateResponse:
        return await self._client._run(ops.create_template(params))

    async def update(self, slug: str, params: TemplateUpdateParams) -> TemplateResponse:
        """Change the given fields; the others keep their values."""
        return await self._client._run(ops.update_template(slug, params))

    async def delete(self, slug: str) -> None:
        await self._client._run(ops.delete_template(slug))

    async def preview(
        self, slug: str, params: TemplatePreviewParams
    ) -> TemplatePreviewResponse:
        """Render the template with sample ``contact`` and ``event`` data."""
        return await self._client._run(ops.preview_template(slug, params))


class AsyncSynapse(BaseClient):
    """Asynchronous PYRX Synapse client.

    ::

        async with AsyncSynapse(api_key="psk_live_...", workspace_id="ws_...") as client:
            await client.track(external_id="user_123", event_name="purchase")

    Arguments left out come from SYNAPSE_API_KEY, SYNAPSE_WORKSPACE_ID and
    SYNAPSE_BASE_URL. Pass ``http_client`` to use your own ``httpx.AsyncClient``
    (its transport, proxies and pool); the client then leaves closing it to you.
    """

    _sleep: Callable[[float], Awaitable[object]] = staticmethod(_asyncio_sleep)

    def __init__(
        self,
        api_key: str | None = None,
        *,
        workspace_id: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        super().__init__(
            api_key,
            workspace_id=workspace_id,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            retry_policy=retry_policy,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                "http_client must be an httpx.AsyncClient (use Synapse for sync)"
            )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=self._config.timeout)
        self._raw: RawClient | None = None
        self.contacts = AsyncContacts(self)
        self.templates = AsyncTemplates(self)

    def with_options(self, **changes: Any) -> AsyncSynapse:
        """A client with some options changed that shares this one's connection pool."""
        copy = AsyncSynapse(http_client=self._http, **self._option_overrides(changes))
        copy._sleep = self._sleep
        return copy

    @property
    def raw(self) -> RawClient:
        """The generated ``pyrx_synapse_api.Client``, for calling endpoint functions.

        It carries this client's auth headers, base URL, timeout, connection
        pool and retry policy. Its endpoint functions return documented error
        responses as parsed models rather than raising.
        """
        if self._raw is None:
            from pyrx_synapse_api import Client

            transport = AsyncRetryingTransport(
                self._http, self._config.policy, lambda seconds: self._sleep(seconds)
            )
            raw = Client(base_url=self.base_url, headers=dict(self._config.headers))
            raw.set_async_httpx_client(
                httpx.AsyncClient(
                    base_url=self.base_url,
                    headers=self._config.headers,
                    timeout=self._config.timeout,
                    transport=transport,
                )
            )
            self._raw = raw
        return self._raw

    async def close(self) -> None:
        """Close the connection pool, unless it was passed in as ``http_client``."""
        if self._raw is not None:
            await self._raw.get_async_httpx_client().aclose()
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncSynapse:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _run(self, call: ops.Call[T]) -> T:
        request = build_request(self._http, self._config, call)
        response = await async_send_with_retries(
            self._http.send, request, self._config.policy, self._sleep
        )
        return decode(response, call)

    async def _run_batches(self, batches: ops.Batches[R]) -> R:
        done: list[R] = []
        for call in batches.calls:
            try:
                done.append(await self._run(call))
            except SynapseError as exc:
                exc.partial_result = batches.combine(done) if done else None
                raise
        return batches.combine(done)

    async def track(
        self,
        *,
        external_id: str,
        event_name: str,
        attributes: dict[str, Any] | None = None,
        contact: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
        occurred_at: str | datetime | None = None,
    ) -> TrackResponse:
        """Record one event. Retries never record it twice (idempotency key)."""
        return await self._run(
            ops.track(
                external_id=external_id,
                event_name=event_name,
                attributes=attributes,
                contact=contact,
                idempotency_key=idempotency_key,
                occurred_at=occurred_at,
            )
        )

    async def track_batch(self, *, events: list[TrackParams]) -> BatchTrackResponse:
        """Record any number of events, sent 50 per request; counts are summed."""
        return await self._run_batches(ops.track_batches(events))

    async def identify(
        self,
        *,
        external_id: str,
        email: str | None = None,
        phone: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        timezone: str | None = None,
        locale: str | None = None,
        properties: dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> ContactResponse:
        """Create or update the contact with this external_id."""
        fields = {
            "external_id": external_id,
            "email": email,
            "phone": phone,
            "first_name": first_name,
            "last_name": last_name,
            "timezone": timezone,
            "locale": locale,
            "properties": properties,
            "tags": tags,
        }
        return await self._run(ops.identify(fields))

    async def identify_batch(
        self, *, contacts: list[IdentifyParams], on_conflict: OnConflict | None = None
    ) -> BulkContactResponse:
        """Create or update any number of contacts, sent 1000 per request."""
        return await self._run_batches(ops.identify_batches(contacts, on_conflict))

    async def send(
        self,
        *,
        template_slug: str,
        to: SendToParams | dict[str, str],
        attributes: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> SendResponse:
        """Send a transactional email. Retries never send it twice."""
        return await self._run(
            ops.send(
                template_slug=template_slug,
                to=to,
                attributes=attributes,
                idempotency_key=idempotency_key,
            )
        )
