"""The master's event stream (GET /api/v1/events, server-sent events) and waiting on it.

Waiting is driven by the stream and checked by polling: each change of a watched job wakes the
waiter at once, which then reads the truth from the API; without the stream (a proxy that cuts
it, an old master) the waiter polls every few seconds, so a lost event never leaves it hanging.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Callable, Dict, Iterator, Optional

import httpx

from .http import Http

FINAL = ("COMPLETED", "FAILED", "CANCELLED")
POLL_SECONDS = 5.0
POLL_SECONDS_WITHOUT_STREAM = 2.0


def read_events(response: httpx.Response) -> Iterator[Dict[str, Any]]:
    """The `job` events of an open event stream, as dicts (id, batchId, status, progress)."""
    kind, data = "message", []
    for raw in response.iter_lines():
        line = raw.rstrip("\r\n")  # httpx before 0.24 (Debian 12's 0.23) keeps each line's ending
        if line == "":
            if kind == "job" and data:
                try:
                    yield json.loads("\n".join(data))
                except ValueError:
                    pass
            kind, data = "message", []
        elif line.startswith("event:"):
            kind = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


class Watcher:
    """Opens the event stream in a thread and wakes `changed` for every event `wanted` accepts."""

    def __init__(self, http: Http, wanted: Callable[[Dict[str, Any]], bool]):
        self.http = http
        self.wanted = wanted
        self.changed = threading.Event()
        self.connected = threading.Event()
        self.alive = False
        self._response: Optional[httpx.Response] = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="molq-events", daemon=True)

    def __enter__(self) -> "Watcher":
        self._thread.start()
        self.connected.wait(10.0)  # the stream is open (or failed) before the caller reads the state
        return self

    def __exit__(self, *exc: Any) -> None:
        self._closed = True
        response = self._response
        if response is not None:
            try:
                response.close()
            except Exception:  # closing from another thread: the reader ends either way
                pass

    def _run(self) -> None:
        try:
            with self.http.stream("GET", "/api/v1/events", headers={"Accept": "text/event-stream"},
                                  timeout=httpx.Timeout(10.0, read=60.0)) as response:
                if response.status_code != 200:
                    return
                self._response = response
                self.alive = True
                self.connected.set()
                for event in read_events(response):
                    if self._closed:
                        return
                    if self.wanted(event):
                        self.changed.set()
        except Exception:
            pass  # no stream: the waiter polls
        finally:
            self.alive = False
            self.connected.set()
            self.changed.set()  # wake the waiter so it notices and polls faster


def wait_until(http: Http, wanted: Callable[[Dict[str, Any]], bool], check: Callable[[], bool],
               timeout: Optional[float]) -> bool:
    """Calls `check` (reads the state, True when done) at start, on each wanted event and by polling."""
    deadline = None if timeout is None else time.monotonic() + timeout
    with Watcher(http, wanted) as watcher:
        while True:
            if check():
                return True
            pause = POLL_SECONDS if watcher.alive else POLL_SECONDS_WITHOUT_STREAM
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                pause = min(pause, left)
            watcher.changed.wait(pause)
            watcher.changed.clear()
            time.sleep(0.2)  # let a burst of events collapse into one read
