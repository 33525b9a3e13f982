"""The HTTP layer: one httpx client, the token, errors as exceptions, and safe retries.

A request that may be repeated (every GET, and a submission carrying an Idempotency-Key) is
retried after a network error, a 502/503/504 or a 429, waiting as Retry-After says (else with
backoff), so a master restarting or a proxy hiccup does not end a long script.
"""

from __future__ import annotations

import time
from typing import Any, Dict, Iterable, Optional

import httpx

RETRY_STATUSES = {429, 502, 503, 504}


class MolqError(Exception):
    """The master refused a request: `status` is the HTTP status, `messages` what it said (each names its field)."""

    def __init__(self, status: int, messages: Iterable[str], method: str = "", path: str = ""):
        self.status = status
        self.messages = list(messages)
        self.method = method
        self.path = path
        super().__init__(f"{method} {path}: {status} {'; '.join(self.messages)}".strip())


def _messages(response: httpx.Response) -> list:
    try:
        body = response.json()
    except ValueError:
        return [response.text[:500] or response.reason_phrase]
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(message, list):
        return [str(m) for m in message]
    if message:
        return [str(message)]
    return [response.reason_phrase]


class Http:
    def __init__(self, url: str, token: str, *, timeout: float = 30.0, retries: int = 5,
                 transport: Optional[httpx.BaseTransport] = None):
        if not url:
            raise ValueError("url: give the master's address (or set MOLQ_URL), e.g. http://127.0.0.1:3000")
        if not token:
            raise ValueError("token: give a personal API token (or set MOLQ_TOKEN); the web app's API tokens page makes one")
        self.base = url.rstrip("/")
        self.retries = retries
        kwargs: Dict[str, Any] = {"timeout": timeout, "headers": {"Authorization": f"Bearer {token}",
                                                                  "User-Agent": "molq-client/0.1"}}
        if transport is not None:
            kwargs["transport"] = transport
        self.client = httpx.Client(**kwargs)

    def close(self) -> None:
        self.client.close()

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base}{path}"

    def request(self, method: str, path: str, *, retry: bool = False, **kwargs: Any) -> httpx.Response:
        """Sends one request; `retry` says it is safe to repeat (GETs always are)."""
        repeatable = retry or method == "GET"
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.client.request(method, self.url(path), **kwargs)
            except httpx.TransportError:
                if not repeatable or attempt > self.retries:
                    raise
                time.sleep(min(0.5 * 2 ** (attempt - 1), 8.0))
                continue
            if response.status_code in RETRY_STATUSES and repeatable and attempt <= self.retries:
                time.sleep(_retry_after(response, attempt))
                continue
            return self.checked(response, method, path)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs).json()

    def post(self, path: str, *, retry: bool = False, **kwargs: Any) -> Any:
        return self.request("POST", path, retry=retry, **kwargs).json()

    def stream(self, method: str, path: str, **kwargs: Any):
        return self.client.stream(method, self.url(path), **kwargs)

    @staticmethod
    def checked(response: httpx.Response, method: str, path: str) -> httpx.Response:
        """The response, or MolqError with the master's reason when it refused (a streamed body is read first)."""
        if response.status_code >= 400:
            response.read()
            raise MolqError(response.status_code, _messages(response), method, path.split("?")[0])
        return response


def _retry_after(response: httpx.Response, attempt: int) -> float:
    header = response.headers.get("Retry-After", "")
    if header.isdigit():
        return min(float(header), 60.0)
    return min(0.5 * 2 ** (attempt - 1), 8.0)
