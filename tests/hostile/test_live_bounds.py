"""`explain` against a hostile API server: a trickled answer is cut at the deadline, an endless
list and a 3 GB error body at their size limits; each one error line, exit 2, in bounded
time (the real `kubernetes` client and a real server on 127.0.0.1)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tests.cli_runner import invoke
from tests.hostile.netserve import Reply, endless, serve, sized

from seatrial.explain.inputs import live


def kubeconfig(tmp: Path, server: str) -> Path:
    f = tmp / "kubeconfig"
    f.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "c",
                "clusters": [{"name": "k", "cluster": {"server": server}}],
                "users": [{"name": "u", "user": {"token": "not-a-secret"}}],
                "contexts": [
                    {"name": "c", "context": {"cluster": "k", "user": "u", "namespace": "ns"}}
                ],
            }
        )
    )
    return f


def explain_fails(tmp_path: Path, reply: Reply) -> tuple[str, str]:
    with serve(lambda *_: reply) as srv:
        start = time.monotonic()
        r = invoke(
            "explain",
            "--kubeconfig",
            str(kubeconfig(tmp_path, srv.url)),
            "--live",
            catch_exceptions=False,
        )
        assert time.monotonic() - start < 30
    assert r.exit_code == 2, r.output
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.output, r.output
    return r.stderr, srv.url


@pytest.mark.parametrize("headers_too", [False, True])
def test_trickled_answer_is_cut_at_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, headers_too: bool
) -> None:
    monkeypatch.setattr(live, "DEADLINE", 2.0)
    err, url = explain_fails(
        tmp_path,
        Reply(
            200,
            {"Content-Length": "1000"},
            (b" " for _ in range(1000)),
            delay=0.5,
            trickle_headers=headers_too,
        ),
    )
    assert err == (
        f"seatrial: error: the cluster at {url} sent no complete answer to GET "
        "/api/v1/namespaces/ns/pods within 2s\n"
    )


def test_endless_list_is_cut_at_its_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "MAX_BODY", 4 << 20)
    err, url = explain_fails(tmp_path, Reply(200, {"Content-Type": "application/json"}, endless()))
    assert err == (
        f"seatrial: error: the cluster at {url} answered GET "
        "/api/v1/namespaces/ns/pods with more than 4 MiB\n"
    )


def test_three_gigabyte_error_body_is_not_read(tmp_path: Path) -> None:
    err, url = explain_fails(tmp_path, Reply(403, {"Content-Length": str(3 << 30)}, sized(3 << 30)))
    assert err == (
        f"seatrial: error: the cluster at {url} refused to list pods in namespace ns: 403 X\n"
    )


def test_the_token_still_goes_to_the_cluster_and_only_there(tmp_path: Path) -> None:
    body = b'{"kind": "List", "items": []}'
    with serve(
        lambda *_: Reply(
            200, {"Content-Type": "application/json", "Content-Length": str(len(body))}, [body]
        )
    ) as srv:
        r = invoke(
            "explain",
            "--kubeconfig",
            str(kubeconfig(tmp_path, srv.url)),
            "--live",
            "--format",
            "json",
            catch_exceptions=False,
        )
    assert r.exit_code in (0, 1), r.output
    assert srv.authorizations() == {"Bearer not-a-secret"}
    assert {s.method for s in srv.seen} == {"GET"}
    assert "/api/v1/namespaces/ns/pods" in {s.path.split("?")[0] for s in srv.seen}
