"""A headless Chromium driven over the DevTools protocol, with the standard library only.

Chromium's ``--remote-debugging-pipe`` reads protocol messages on file descriptor 3 and writes
its answers on 4, each a JSON text ended by a NUL byte: no port, no websocket, no package and
no browser download. :class:`Browser` opens one page, records every request the page makes
(``Network`` events) and evaluates JavaScript in it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions", "--mute-audio",
    "--remote-debugging-pipe", "about:blank",
]


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium with one page; ``close()`` (or ``with``) ends it. ``timeout`` bounds a
    hang (ten minutes), not the speed: on a busy machine an answer may take a minute."""

    def __init__(self, executable: str, *, width: int = 1100, height: int = 1400, timeout: float = 600):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="symcnn-chromium-")
        to_browser, self._writer = os.pipe()
        self._reader, from_browser = os.pipe()

        # bash (which, unlike dash, reads file descriptors past 9) puts the protocol's pipes on 3 and 4,
        # then becomes chromium
        shell = f'exec "$@" 3<&{to_browser} 4>&{from_browser}'
        self.process = subprocess.Popen(
            [shutil.which("bash") or "/bin/bash", "-c", shell, "bash", executable, *CHROMIUM_FLAGS[:-2],
             f"--user-data-dir={self.profile}", f"--window-size={width},{height}", *CHROMIUM_FLAGS[-2:]],
            pass_fds=(to_browser, from_browser), stdin=subprocess.DEVNULL, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL if not os.environ.get("SYMCNN_BROWSER_LOG") else None,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    # -- the protocol ---------------------------------------------------------------------------

    def _send(self, message: dict) -> None:
        os.write(self._writer, json.dumps(message).encode() + b"\0")

    def _receive(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise BrowserError("chromium did not answer in time")
            ready, _, _ = select.select([self._reader], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise BrowserError("chromium did not answer in time")
            chunk = os.read(self._reader, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, *, session: bool = False, **params) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self._send(message)
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._receive(deadline)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    def wait_for(self, method: str) -> dict:
        deadline = time.monotonic() + self.timeout
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method:
                    return self.events.pop(i)
            self.events.append(self._receive(deadline))

    # -- the page -------------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Load ``url`` afresh (from a blank page, so that a new fragment loads the page again)."""
        self.call("Page.navigate", session=True, url="about:blank")
        self.wait_for("Page.loadEventFired")
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def requests(self) -> list[str]:
        """Every URL the page asked for since it was opened (the document itself included)."""
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]

    def console_errors(self) -> list[str]:
        return [json.dumps(e["params"]) for e in self.events
                if e["method"] in ("Runtime.exceptionThrown",)
                or (e["method"] == "Runtime.consoleAPICalled" and e["params"].get("type") == "error")]

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._reader, self._writer):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
