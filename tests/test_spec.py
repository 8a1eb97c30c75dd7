"""openapi.yaml is a valid spec, and the friendly layer speaks exactly that API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pyrx_synapse
import pytest
import yaml
from openapi_spec_validator import validate
from pyrx_synapse import Synapse
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.test_client import CASES, KEY, Recorder

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
SPEC_URI = "urn:synapse:openapi"
REGISTRY: Registry[Any] = Registry().with_resource(
    SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT202012)
)


def schema_validator(pointer: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{pointer}"},
        registry=REGISTRY,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def find_operation(method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The spec's path template and operation that serve ``method path``."""
    for template, item in SPEC["paths"].items():
        pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    raise AssertionError(f"{method} {path} is not in openapi.yaml")


class TestSpecDocument:
    def test_spec_is_valid_openapi(self) -> None:
        """openapi.yaml passes the OpenAPI 3.1 validator."""
        validate(SPEC)

    def test_every_operation_has_an_operation_id(self) -> None:
        """Generated function names come from operationId, so each has one."""
        for item in SPEC["paths"].values():
            for method in ("get", "post", "put", "patch", "delete"):
                if method in item:
                    assert item[method].get("operationId")

    def test_server_bundles_the_same_spec(self) -> None:
        """The local server validates against this very file, not a copy."""
        bundled = Path(pyrx_synapse.__file__).parent / "server" / "openapi.yaml"
        assert bundled.read_bytes() == SPEC_PATH.read_bytes()


class TestFriendlyRequestsMatchSpec:
    @pytest.mark.parametrize("name", list(CASES))
    def test_request_is_valid_for_its_operation(self, name: str) -> None:
        """Each friendly call hits a spec operation with a body and query it accepts."""
        case = CASES[name]
        recorder = Recorder(case.status, case.answer)
        http = httpx.Client(transport=httpx.MockTransport(recorder))
        case.call(Synapse(KEY, workspace_id="ws", http_client=http))
        request = recorder.requests[0]
        template, operation = find_operation(request.method, request.url.path)
        responses = operation["responses"]
        assert str(case.status) in responses, f"{template} never answers {case.status}"
        body_spec = operation.get("requestBody")
        if body_spec is None:
            assert request.content == b""
        else:
            schema = body_spec["content"]["application/json"]["schema"]
            pointer = schema["$ref"].removeprefix("#")
            schema_validator(pointer).validate(json.loads(request.content))
        params = {p["name"]: p for p in map(_resolve, operation.get("parameters", []))}
        for param_name, value in request.url.params.items():
            param = params[param_name]
            assert param["in"] == "query"
            typed: Any = int(value) if param["schema"]["type"] == "integer" else value
            jsonschema.validate(typed, param["schema"])

    @pytest.mark.parametrize("name", list(CASES))
    def test_canned_answers_are_valid_responses(self, name: str) -> None:
        """The answers the unit tests feed the client are themselves valid per the spec."""
        case = CASES[name]
        if case.answer is None:
            return
        template, _ = find_operation(case.method, case.path)
        path_key = template.replace("~", "~0").replace("/", "~1")
        pointer = (
            f"/paths/{path_key}/{case.method.lower()}/responses/{case.status}"
            "/content/application~1json/schema"
        )
        schema_validator(pointer).validate(case.answer)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A spec node with a local $ref followed."""
    if "$ref" not in node:
        return node
    target: Any = SPEC
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return dict(target)
