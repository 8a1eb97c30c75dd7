"""A script written for pyrx-synapse 0.1.x, kept to prove it still runs unchanged.

It uses only what 0.1.x offered: every setting passed to the constructor, and
the plain calls. Point it at a server through three variables, for example the
local one started with ``synapse-dev-server``::

    export SYNAPSE_BASE_URL=http://127.0.0.1:8787
    export SYNAPSE_API_KEY=psk_test_...
    export SYNAPSE_WORKSPACE_ID=ws_local
    python examples/legacy_script.py
"""

import os
import sys

from pyrx_synapse import Synapse, SynapseError

TEMPLATE_SLUG = "order-shipped"


def main():
    client = Synapse(
        api_key=os.environ["SYNAPSE_API_KEY"],
        workspace_id=os.environ["SYNAPSE_WORKSPACE_ID"],
        base_url=os.environ["SYNAPSE_BASE_URL"],
    )
    try:
        contact = client.identify(
            external_id="legacy_user",
            email="legacy@example.com",
            first_name="Grace",
            properties={"source": "legacy_script"},
        )
        print("identified", contact.external_id, contact.id)

        event = client.track(
            external_id="legacy_user",
            event_name="order_shipped",
            attributes={"order_id": "A-100"},
        )
        print("tracked", event.event_id, event.status)

        slugs = [template.slug for template in client.templates.list()]
        if TEMPLATE_SLUG not in slugs:
            client.templates.create(
                {
                    "name": "Order shipped",
                    "slug": TEMPLATE_SLUG,
                    "subject": "Your order {{ order_id }} is on its way",
                    "body_html": "<p>Hi {{ contact.first_name }}, it shipped.</p>",
                    "sender_name": "Shop",
                    "from_email": "shop@example.com",
                }
            )
        email = client.send(
            template_slug=TEMPLATE_SLUG,
            to={"user_id": "legacy_user", "email": "legacy@example.com"},
            attributes={"order_id": "A-100"},
        )
        print("sent", email.email_log_id, email.status)

        page = client.contacts.list(search="legacy", per_page=10)
        print("contacts matching 'legacy':", page.meta.total)
    except SynapseError as exc:
        print("Synapse call failed:", exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
