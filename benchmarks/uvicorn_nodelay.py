"""`uvicorn` with its pre-bound listening socket marked IPPROTO_TCP, so accepted connections get TCP_NODELAY.

With --workers N, uvicorn binds the socket itself with socket.socket(family) (proto 0) and passes it to
the workers; asyncio only sets TCP_NODELAY on accepted sockets whose proto is IPPROTO_TCP, so every
keep-alive response after the first waits ~40 ms for the client's delayed ACK (Nagle). Upstream:
https://github.com/Kludex/uvicorn/issues/3149 (open at uvicorn 0.54). The single-process path is not
affected (asyncio builds that listener from getaddrinfo, proto 6).

This wrapper only exists so benchmarks/load.py can show what a second worker is worth without that
stall. Use exactly like the uvicorn command line:

    .venv/bin/python benchmarks/uvicorn_nodelay.py --factory assistant.api:create_app --workers 2 ...
"""

from __future__ import annotations

import socket
import sys

import uvicorn.config
import uvicorn.main

_bind_socket = uvicorn.config.Config.bind_socket


def bind_socket(self: uvicorn.config.Config) -> socket.socket:
    sock = _bind_socket(self)
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto != socket.IPPROTO_TCP:
        # Same descriptor, now labelled TCP; multiprocessing keeps the label when it hands it to workers.
        return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    return sock


uvicorn.config.Config.bind_socket = bind_socket

if __name__ == "__main__":
    sys.argv[0] = "uvicorn"
    sys.exit(uvicorn.main.main())
