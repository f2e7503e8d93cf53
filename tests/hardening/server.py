"""Run `python -m assistant serve` as a subprocess for a test, and always stop it (terminate, then kill)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP_SECONDS = 120  # the server builds its index on start; the machine may be busy
STOP_SECONDS = 15


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**settings: str) -> dict[str, str]:
    """This environment without any ASSISTANT_* setting of the caller's, plus the given ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


def assistant(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
              timeout: float = 180) -> subprocess.CompletedProcess:
    """Run `python -m assistant ARGS` to completion."""
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          env=env or clean_env(), cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL)


@dataclass
class Server:
    """A running `assistant serve`, its base URL and the files its stdout and stderr go to."""

    url: str
    process: subprocess.Popen
    stdout: Path
    stderr: Path

    def output(self) -> str:
        """Everything the server has written to stdout and stderr so far."""
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    def raw_output(self) -> bytes:
        return self.stdout.read_bytes() + self.stderr.read_bytes()


def stop(process: subprocess.Popen) -> None:
    """SIGTERM (uvicorn shuts down gracefully), then SIGKILL if it has not exited in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_SECONDS)


def _wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{server.output()[-3000:]}")
        try:
            if httpx.get(server.url + "/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not healthy after {STARTUP_SECONDS}s:\n{server.output()[-3000:]}")


@contextlib.contextmanager
def running_server(logs: Path, corpus: Path, index: Path, cwd: Path | None = None,
                   **settings: str) -> Iterator[Server]:
    """Start the real server on a free port (rate limit off unless given), yield it when healthy, then stop it."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / f"serve-{port}.stdout", logs / f"serve-{port}.stderr"
    env = clean_env(ASSISTANT_CORPUS=str(corpus), ASSISTANT_INDEX=str(index), **{"ASSISTANT_RATE_LIMIT": "off",
                                                                                  **settings})
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd or logs,
        )
    server = Server(f"http://127.0.0.1:{port}", process, out_path, err_path)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        stop(process)
