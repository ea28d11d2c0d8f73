"""Schemathesis in GraphQL mode against a real ``contentapi serve --demo`` process.

Every query and mutation of ``schema/schema.graphql`` gets generated documents: valid
ones (positive) and invalid ones (negative) anonymously, and valid ones with an editor
token, so mutations run instead of stopping at ``UNAUTHENTICATED``. No answer may be a
5xx, carry ``INTERNAL_ERROR``, or be an error without a code. Generation is bounded and
derandomized (the same requests on every run); every failure is collected, with a curl
command that repeats it, and the test fails listing them all. The figures (requests,
codes, seconds) are printed at the end.

``CONTENTAPI_SCHEMATHESIS_EXAMPLES`` sets the examples per operation and pass (default 80:
about 6,300 requests, 2-3 minutes on a 2-core machine).
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.graphql import nodes
from schemathesis.specs.openapi.checks import response_schema_conformance

from contentapi.graphql.relay import to_global_id
from tests.conftest import TEST_OUTPUT, cli_token, configured_server_process

pytestmark = pytest.mark.server

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "schema.graphql"
EXAMPLES = int(os.environ.get("CONTENTAPI_SCHEMATHESIS_EXAMPLES", "80"))
REQUEST_TIMEOUT = 10.0  # the server's, set below; the client waits longer than that
# Upload is sent as multipart only; in a JSON document it can only be a literal, which the
# server must refuse with a code (never crash)
schemathesis.graphql.scalar("Upload", st.just(nodes.String("not-a-file")))
# half of the ids name the demo's rows (so mutations reach real articles, comments and
# media), the others are whatever Hypothesis makes (malformed or unknown: BAD_REQUEST, null)
DEMO_IDS = [
    to_global_id(kind, pk)
    for kind, count in (("Article", 4), ("Comment", 6), ("Image", 3), ("Video", 2), ("Tag", 3))
    for pk in range(1, count + 1)
]
schemathesis.graphql.scalar(
    "ID", st.one_of(st.sampled_from(DEMO_IDS), st.text(max_size=20)).map(nodes.String)
)


class ContractError(AssertionError):
    """An answer that breaks the error contract."""


def _body(response: schemathesis.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        raise ContractError(
            f"HTTP {response.status_code} is not JSON "
            f"({response.headers.get('content-type')}): {response.content[:200]!r}"
        ) from None


def _errors(body: Any) -> list[dict[str, Any]]:
    """The top-level errors and the payload errors (``errors { code }``) of an answer."""
    found = list(body.get("errors") or []) if isinstance(body, dict) else []
    data = body.get("data") if isinstance(body, dict) else None
    for payload in (data or {}).values() if isinstance(data, dict) else ():
        if isinstance(payload, dict) and isinstance(payload.get("errors"), list):
            # a payload error's code is only there when the document selected it
            found.extend(
                {"extensions": {"code": e.get("code") or "(code not selected)"}, **e}
                for e in payload["errors"]
            )
    return found


def no_server_error(
    ctx: Any, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> None:
    """No 5xx. (Schemathesis' own ``not_a_server_error`` takes every resolver error, such as
    ``UNKNOWN_LOCALE`` for a generated locale, as a server error: too strict for GraphQL
    domain errors, which are coded answers.)"""
    if response.status_code >= 500:
        raise ContractError(f"HTTP {response.status_code}")


def no_internal_error(
    ctx: Any, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> None:
    """No error in the answer is ``INTERNAL_ERROR`` (an unexpected exception on the server)."""
    for error in _errors(_body(response)):
        if (error.get("extensions") or {}).get("code") == "INTERNAL_ERROR":
            raise ContractError(f"INTERNAL_ERROR: {error.get('message')!r}")


def coded_errors(ctx: Any, response: schemathesis.Response, case: schemathesis.Case[Any]) -> None:
    """Every error answer is JSON, and every error in it has ``extensions.code``."""
    body = _body(response)
    errors = body.get("errors") if isinstance(body, dict) else None
    if response.status_code != 200 and not errors:
        raise ContractError(f"HTTP {response.status_code} without errors: {body!r:.200}")
    for error in errors or []:
        if not (error.get("extensions") or {}).get("code"):
            raise ContractError(f"error without a code: {error!r:.300}")


# response_schema_conformance: the answer is a GraphQL response (JSON object), and no
# non-null field came back null
CHECKS = [no_server_error, no_internal_error, coded_errors, response_schema_conformance]


@dataclass
class Tally:
    """What the run sent and got back."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)  # one per operation, pass and kind

    def record(self, response: schemathesis.Response) -> None:
        self.requests += 1
        self.statuses[response.status_code] += 1
        try:
            errors = _errors(json.loads(response.content))
        except ValueError:
            return
        for code in {str((e.get("extensions") or {}).get("code")) for e in errors} or {"OK"}:
            self.codes[code] += 1


def exercise(
    operation: schemathesis.APIOperation[Any, Any, Any, Any],
    mode: GenerationMode,
    base_url: str,
    headers: dict[str, str],
    label: str,
    tally: Tally,
) -> None:
    """Send ``EXAMPLES`` generated documents for one operation; record every failure (no
    shrinking: the first example of each kind of failure is kept as it was sent)."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case[Any]) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT + 20)
        tally.record(response)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as caught:  # one check's failure, or several
            failures = caught.exceptions if isinstance(caught, FailureGroup) else (caught,)
            for failure in failures:
                what = f"{type(failure).__name__}: {str(failure).strip()[:160]}"
                key = f"{operation.label} [{label}] {what}"
                if key not in tally.failures:
                    tally.failures[key] = (
                        f"{key}\n  answer: HTTP {response.status_code} "
                        f"{response.content[:300]!r}\n  {case.as_curl_command(headers=headers)}"
                    )

    run()


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """A real demo server; comments not rate-limited so postComment runs each time."""
    async with configured_server_process(
        tmp_path,
        CONTENTAPI_COMMENT_RATE_LIMIT="100000/minute",
        CONTENTAPI_REQUEST_TIMEOUT_SECONDS=str(REQUEST_TIMEOUT),
    ) as started:
        yield started


async def test_generated_queries_and_mutations_get_coded_answers(
    server: tuple[str, dict[str, str]],
) -> None:
    base, env = server
    editor = {"Authorization": f"Bearer {cli_token(env, 'editor')}"}
    schema = schemathesis.graphql.from_path(SCHEMA_FILE)
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    passes: list[tuple[str, GenerationMode, dict[str, str]]] = [
        ("anonymous", GenerationMode.POSITIVE, {}),
        ("anonymous invalid", GenerationMode.NEGATIVE, {}),
        ("editor", GenerationMode.POSITIVE, editor),
    ]
    tally = Tally()
    started = time.monotonic()
    for label, mode, headers in passes:
        for operation in operations:
            exercise(operation, mode, f"{base}/graphql", headers, label, tally)
    seconds = time.monotonic() - started
    summary = {
        "operations": len(operations),
        "passes": len(passes),
        "examples_per_operation": EXAMPLES,
        "requests": tally.requests,
        "seconds": round(seconds, 1),
        "statuses": dict(sorted(tally.statuses.items())),
        "codes": dict(tally.codes.most_common()),
        "failures": len(tally.failures),
    }
    TEST_OUTPUT.mkdir(exist_ok=True)
    (TEST_OUTPUT / "schemathesis.json").write_text(
        json.dumps({**summary, "failed": tally.failures}, indent=2, ensure_ascii=False)
    )
    print(f"\nschemathesis: {json.dumps(summary, ensure_ascii=False)}")
    assert tally.requests >= len(operations) * len(passes)  # every operation was reached
    assert not tally.failures, f"{len(tally.failures)} kinds of failure:\n\n" + "\n\n".join(
        tally.failures.values()
    )
