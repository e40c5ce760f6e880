"""Real processes for integration tests: the hackrooms server (and later redis-server).

Readiness is awaited by reading what the process prints, with a deadline, never by sleeping.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from client import Api

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Process:
    """A child process whose output lines are collected by a thread and can be awaited."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None,
                 cwd: Path = ROOT) -> None:
        self.argv, self.env, self.cwd = argv, env, cwd
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.output = []
        self.lines = queue.Queue()
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self._reader = threading.Thread(target=self._pump, args=(self.proc, self.lines),
                                        daemon=True)
        self._reader.start()

    def _pump(self, proc: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.output.append(line)
            lines.put(line)

    def wait_for_line(self, match: Callable[[str], bool], timeout: float = 20.0) -> str:
        """Block until the process prints a matching line; fail with its output otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{self.argv[0]} printed no expected line:\n"
                                   + "".join(self.output[-40:]))
            try:
                line = self.lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.proc is not None and self.proc.poll() is not None:
                    raise RuntimeError(f"{self.argv} exited with {self.proc.returncode}:\n"
                                       + "".join(self.output[-40:])) from None
                continue
            if match(line):
                return line

    def kill(self) -> None:
        """SIGKILL: no chance to flush or clean up, as in a crash."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self._release()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if the process does not end in time."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self._release()

    def _release(self) -> None:
        # The reader thread ends at the dead process's end of output; then the pipe can close.
        if self.proc is not None and self.proc.stdout is not None:
            self._reader.join(10)
            self.proc.stdout.close()


class Server(Process):
    """A hackrooms server on a free port with its own database (a file, or a postgresql URL)."""

    def __init__(self, database: Path | str, port: int | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.database = database
        full_env = {**os.environ, "HACKROOMS_LOG_LEVEL": "info", "PYTHONUNBUFFERED": "1",
                    **(env or {})}
        full_env.pop("PORT", None)
        super().__init__([sys.executable, "-m", "server", "--port", str(self.port),
                          "--database", str(database)], full_env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def api(self) -> Api:
        return Api(self.url)

    def start(self) -> None:
        super().start()
        # "Uvicorn running on" comes after the socket is bound ("Application startup complete"
        # comes before it, when a request could still be refused).
        self.wait_for_line(lambda line: "Uvicorn running on" in line)


class RedisServer(Process):
    """A real redis-server on a free port, durable as docs/scaling.md asks (AOF, fsync always).

    ``stop`` and ``start`` again keep the port and the data directory: that is a Redis outage
    and its return, as the processes connected to it see them.
    """

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        super().__init__(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                          "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                          "--dir", str(directory)])

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        super().start()
        self.wait_for_line(lambda line: "Ready to accept connections" in line)
