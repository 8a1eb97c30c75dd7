"""Results decoded on read behave exactly like results built by their constructor."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest
from pyrx_synapse import ContactResponse, TemplateResponse

RAW: dict[str, Any] = {
    "id": "ct_1",
    "external_id": "u1",
    "email": 5,
    "first_name": {"given": "Ada"},
    "properties": {"plan": "pro"},
    "tags": ["vip", 3],
    "unknown": "kept out",
}
BUILT = ContactResponse(
    id="ct_1", external_id="u1", email="5", properties={"plan": "pro"}, tags=["vip"]
)


def decoded() -> ContactResponse:
    return ContactResponse._from_json(dict(RAW))


class TestDecodedOnRead:
    def test_fields_are_converted_on_read(self) -> None:
        """Each field reads in its promised type, or empty, and unknown keys stay out."""
        contact = decoded()
        assert (contact.email, contact.first_name, contact.tags) == ("5", None, ["vip"])
        assert not hasattr(contact, "unknown")

    def test_equal_to_the_constructed_result(self) -> None:
        """Equality, repr and asdict match a result built with the same values."""
        assert decoded() == BUILT
        assert repr(decoded()) == repr(BUILT)
        assert dataclasses.asdict(decoded()) == dataclasses.asdict(BUILT)

    def test_a_field_is_decoded_once(self) -> None:
        """A second read returns the very value of the first."""
        contact = decoded()
        assert contact.properties is contact.properties
        assert contact.tags is contact.tags

    def test_frozen_like_every_result(self) -> None:
        """Assigning a field raises, as on any frozen dataclass."""
        with pytest.raises(dataclasses.FrozenInstanceError):
            decoded().email = "x"  # type: ignore[misc]

    @pytest.mark.parametrize(
        "clone",
        [pickle.loads, copy.deepcopy, copy.copy],
        ids=["pickle", "deepcopy", "copy"],
    )
    def test_copies_and_pickles(self, clone: Any) -> None:
        """Pickled and copied results read the same values."""
        original = decoded()
        source = pickle.dumps(original) if clone is pickle.loads else original
        assert clone(source) == BUILT

    def test_replace_builds_a_normal_result(self) -> None:
        """dataclasses.replace() keeps the other decoded fields."""
        changed = dataclasses.replace(decoded(), email="new@example.com")
        assert changed.email == "new@example.com"
        assert changed.tags == ["vip"]

    def test_class_defaults_and_constructor_unchanged(self) -> None:
        """The constructor keeps 0.1.x's defaults; class attributes read as None."""
        assert ContactResponse(id="a", external_id="b").tags == []
        assert ContactResponse.email is None
        assert TemplateResponse._from_json({"id": 1, "slug": "s"}).id == "1"
