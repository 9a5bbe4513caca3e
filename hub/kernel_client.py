"""Run code in a kernel of someone's single-user server, over the hub's proxy.

The end-to-end test and the load benchmark act as a resident at the keyboard without
a browser: start a kernel with the server's REST API, send each cell as an
``execute_request`` on the kernel's websocket (Jupyter's JSON message format) and
time it until the kernel is idle again.  Standard library and tornado only.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect


@dataclass
class CellRun:
    """One cell's outcome: seconds to idle, what it printed, and any error or stderr."""

    seconds: float
    stdout: str = ""
    problems: list[str] = field(default_factory=list)
    kernel_died: bool = False


def _message(code: str, session: str) -> tuple[str, str]:
    msg_id = uuid.uuid4().hex
    message = {
        "header": {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "username": "cohort",
            "session": session,
            "date": "",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }
    return msg_id, json.dumps(message)


class KernelSession:
    """A kernel on ``server_url`` (e.g. http://127.0.0.1:8000/user/ana), driven with ``token``."""

    def __init__(self, server_url: str, token: str, kernel_id: str, connection):
        self.server_url = server_url
        self.token = token
        self.kernel_id = kernel_id
        self.connection = connection
        self.session = uuid.uuid4().hex

    @classmethod
    async def start(
        cls, server_url: str, token: str, path: str = "", timeout: float = 120
    ) -> KernelSession:
        """A new kernel whose working folder is ``path`` (relative to the server's root)."""
        client = AsyncHTTPClient()
        headers = {"Authorization": f"token {token}"}
        response = await client.fetch(
            f"{server_url}/api/kernels",
            method="POST",
            body=json.dumps({"name": "python3", "path": path}),
            headers=headers,
            request_timeout=timeout,
        )
        kernel_id = json.loads(response.body)["id"]
        ws_url = server_url.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
        connection = await websocket_connect(
            HTTPRequest(ws_url, headers=headers, request_timeout=timeout),
            max_message_size=64 * 2**20,
        )
        return cls(server_url, token, kernel_id, connection)

    async def run(self, code: str, timeout: float = 300) -> CellRun:
        """Execute ``code``; returns when the kernel is idle again (or has died)."""
        msg_id, payload = _message(code, self.session)
        began = time.monotonic()
        await self.connection.write_message(payload)
        run = CellRun(seconds=0.0)
        replied = idle = False
        while not (replied and idle):
            remaining = timeout - (time.monotonic() - began)
            if remaining <= 0:
                run.problems.append(f"no answer within {timeout} s")
                break
            try:
                raw = await asyncio.wait_for(self.connection.read_message(), remaining)
            except TimeoutError:
                continue
            if raw is None:  # the server closed the channel: the kernel is gone
                run.kernel_died = True
                break
            message = json.loads(raw)
            kind = message.get("msg_type") or message["header"]["msg_type"]
            content = message.get("content", {})
            if kind == "status" and content.get("execution_state") in ("restarting", "dead"):
                run.kernel_died = True
                break
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "stream":
                if content["name"] == "stdout":
                    run.stdout += content["text"]
                else:
                    run.problems.append(f"stderr: {content['text'][:300]}")
            elif kind == "error":
                run.problems.append(f"{content['ename']}: {content['evalue']}"[:300])
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
        run.seconds = time.monotonic() - began
        return run

    async def shutdown(self, attempts: int = 10) -> None:
        """Stop the kernel.  One the cgroup killed is being restarted by the server for a
        moment, and a DELETE then fails: try again for a few seconds."""
        self.connection.close()
        for attempt in range(attempts):
            try:
                await AsyncHTTPClient().fetch(
                    f"{self.server_url}/api/kernels/{self.kernel_id}",
                    method="DELETE",
                    headers={"Authorization": f"token {self.token}"},
                )
                return
            except HTTPClientError as error:
                if error.code == 404:
                    return
                if attempt == attempts - 1:
                    raise
                await asyncio.sleep(1)
