"""Dask start-up: a scheduler address where something else listens fails fast, before the output is touched."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from summit_extract.batch import SchedulerUnreachableError, dask_engine, errors_path_for, run
from summit_extract.batch.dask_engine import check_scheduler


class NotDask:
    """A TCP server on loopback that accepts and then says `greeting` (or nothing) and holds on."""

    def __init__(self, greeting: bytes) -> None:
        self.greeting = greeting
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.clients: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.clients.append(client)
            if self.greeting:
                client.sendall(self.greeting)

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.server.close()


GREETINGS = [
    pytest.param(b"", "no answer within 1 s", id="silent"),
    pytest.param(b"SSH-2.0-OpenSSH_9.6\r\n", "MemoryError", id="ssh-banner"),
    pytest.param(b"HTTP/1.1 400 Bad Request\r\n\r\n", "MemoryError", id="http"),
]


@pytest.fixture
def not_dask(request):
    server = NotDask(request.param)
    yield server
    server.close()


@pytest.mark.parametrize(("not_dask", "reason"), GREETINGS, indirect=["not_dask"])
def test_a_server_that_is_not_dask_is_refused_within_the_timeout(not_dask, reason):
    started = time.monotonic()
    with pytest.raises(SchedulerUnreachableError) as caught:
        check_scheduler(not_dask.address, timeout=1)
    assert time.monotonic() - started < 5
    assert str(caught.value).startswith(f"cannot reach the Dask scheduler at {not_dask.address}: ")
    assert reason in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("not_dask", "reason"), GREETINGS, indirect=["not_dask"])
def test_run_reaches_the_scheduler_before_it_touches_the_output(not_dask, reason, tmp_path, monkeypatch):
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 1.0)
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The SCO met in Astana.\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    output.write_text("not even ours\n", encoding="utf-8")
    errors_path_for(output).write_text("errors of the last run\n", encoding="utf-8")
    with pytest.raises(SchedulerUnreachableError, match=reason):
        run([str(corpus)], output, engine="dask", scheduler=not_dask.address, force=True)
    assert output.read_text(encoding="utf-8") == "not even ours\n"
    assert errors_path_for(output).read_text(encoding="utf-8") == "errors of the last run\n"
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == ["articles", "out.jsonl", "out.jsonl.errors.jsonl"]
