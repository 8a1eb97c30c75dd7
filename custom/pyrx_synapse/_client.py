"""The synchronous client, ``Synapse``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._base import DEFAULT_TIMEOUT, BaseClient
from ._errors import SynapseError
from ._lazy import lazy_module
from ._retry import RetryPolicy
from ._transport import RetryingTransport, build_request, decode, send_with_retries

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


class Contacts:
    """``client.contacts``: read, change and delete contacts."""

    def __init__(self, client: Synapse) -> None:
        self._client = client

    def list(
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
        return self._client._run(ops.list_contacts(query))

    def iter(
        self,
        search: str | None = None,
        per_page: int | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
    ) -> Iterator[ContactResponse]:
        """Every contact, fetching one page after another as the loop needs them."""
        page = 1
        while True:
            result = self.list(search, page, per_page, sort_by, sort_order)
            yield from result.data
            if ops.is_last_page(result, page, per_page):
                return
            page += 1

    def get(self, contact_id: str) -> ContactResponse:
        """One contact, by its id or its external_id."""
        return self._client._run(ops.get_contact(contact_id))

    def update(self, external_id: str, data: ContactUpdateParams) -> ContactResponse:
        """Change the given fields of a contact; returns the contact after the change."""
        return self._client._run(ops.update_contact(external_id, data))

    def delete(self, external_id: str) -> None:
        """Delete a contact."""
        self._client._run(ops.delete_contact(external_id))


class Templates:
    """``client.templates``: manage email templates and preview them."""

    def __init__(self, client: Synapse) -> None:
        self._client = client

    def list(self) -> list[TemplateResponse]:
        """Every template of the workspace."""
        return self._client._run(ops.list_templates())

    def get(self, slug: str) -> TemplateResponse:
        return self._client._run(ops.get_template(slug))

    def create(self, params: TemplateCreateParams) -> TemplateResponse:
        return self._client._run(ops.create_template(params))

    def update(self, slug: str, params: TemplateUpdateParams) -> TemplateResponse:
        """Change the given fields; the others keep their values."""
        return self._client._run(ops.update_template(slug, params))

    def delete(self, slug: str) -> None:
        self._client._run(ops.delete_template(slug))

    def preview(
        self, slug: str, params: TemplatePreviewParams
    ) -> TemplatePreviewResponse:
        """Render the template with sample ``contact`` and ``event`` data."""
        return self._client._run(ops.preview_template(slug, params))


class Synapse(BaseClient):
    """Synchronous PYRX Synapse client.

    ::

        with Synapse(api_key="psk_live_...", workspace_id="ws_...") as client:
            client.track(external_id="user_123", event_name="purchase")

    Arguments left out come from SYNAPSE_API_KEY, SYNAPSE_WORKSPACE_ID and
    SYNAPSE_BASE_URL. Pass ``http_client`` to use your own ``httpx.Client``
    (its transport, proxies and pool); the client then leaves closing it to you.
    """

    _sleep: Callable[[float], object] = staticmethod(time.sleep)

    def __init__(
        self,
        api_key: str | None = None,
        *,
        workspace_id: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
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
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(
                "http_client must be an httpx.Client (use AsyncSynapse for async)"
            )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=self._config.timeout)
        self._raw: RawClient | None = None
        self.contacts = Contacts(self)
        self.templates = Templates(self)

    def with_options(self, **changes: Any) -> Synapse:
        """A client with some options changed that shares this one's connection pool."""
        copy = Synapse(http_client=self._http, **self._option_overrides(changes))
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

            transport = RetryingTransport(
                self._http, self._config.policy, lambda seconds: self._sleep(seconds)
            )
            raw = Client(base_url=self.base_url, headers=dict(self._config.headers))
            raw.set_httpx_client(
                httpx.Client(
                    base_url=self.base_url,
                    headers=self._config.headers,
                    timeout=self._config.timeout,
                    transport=transport,
                )
            )
            self._raw = raw
        return self._raw

    def close(self) -> None:
        """Close the connection pool, unless it was passed in as ``http_client``."""
        if self._raw is not None:
            self._raw.get_httpx_client().close()
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Synapse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, call: ops.Call[T]) -> T:
        request = build_request(self._http, self._config, call)
        response = send_with_retries(
            self._http.send, request, self._config.policy, self._sleep
        )
        return decode(response, call)

    def _run_batches(self, batches: ops.Batches[R]) -> R:
        done: list[R] = []
        for call in batches.calls:
            try:
                done.append(self._run(call))
            except SynapseError as exc:
                exc.partial_result = batches.combine(done) if done else None
                raise
        return batches.combine(done)

    def track(
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
        return self._run(
            ops.track(
                external_id=external_id,
                event_name=event_name,
                attributes=attributes,
                contact=contact,
                idempotency_key=idempotency_key,
                occurred_at=occurred_at,
            )
        )

    def track_batch(self, *, events: list[TrackParams]) -> BatchTrackResponse:
        """Record any number of events, sent 50 per request; counts are summed."""
        return self._run_batches(ops.track_batches(events))

    def identify(
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
        return self._run(ops.identify(fields))

    def identify_batch(
        self, *, contacts: list[IdentifyParams], on_conflict: OnConflict | None = None
    ) -> BulkContactResponse:
        """Create or update any number of contacts, sent 1000 per request."""
        return self._run_batches(ops.identify_batches(contacts, on_conflict))

    def send(
        self,
        *,
        template_slug: str,
        to: SendToParams | dict[str, str],
        attributes: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> SendResponse:
        """Send a transactional email. Retries never send it twice."""
        return self._run(
            ops.send(
                template_slug=template_slug,
                to=to,
                attributes=attributes,
                idempotency_key=idempotency_key,
            )
        )
