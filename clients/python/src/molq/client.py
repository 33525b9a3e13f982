"""Client: the one object a script holds; it submits, lists, cancels and retries, and hands out Job/Batch handles."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any, Dict, Iterable, Iterator, List, Optional

import httpx

from .handles import Batch, Job
from .http import Http

MAX_BULK = 1000


class Client:
    """A molq master reached with a personal API token (scope `submit` to submit, `read` to look)."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, *, timeout: float = 30.0,
                 progress: bool = True, transport: Optional[httpx.BaseTransport] = None):
        self.http = Http(url or os.environ.get("MOLQ_URL", ""), token or os.environ.get("MOLQ_TOKEN", ""),
                         timeout=timeout, transport=transport)
        self.progress = progress

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def me(self) -> Dict[str, Any]:
        return self.http.get("/api/v1/auth/me")

    # -- submitting ---------------------------------------------------------------------------

    def submit(self, spec: Dict[str, Any], *, idempotency_key: Optional[str] = None) -> Job:
        """Submits one job (a dict from molq.xtb, molq.lammps_template, … or your own) and returns its handle.

        Each submission carries an Idempotency-Key, so it is retried safely after a network error:
        the master makes the job once however often the request arrives.
        """
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        body = {k: v for k, v in spec.items() if k != "_files"}
        files = spec.get("_files")
        if files:
            answer = self.http.post("/api/v1/jobs", retry=True, headers=headers,
                                    data={"spec": json.dumps(body)},
                                    files=[("files", (name, content, "text/plain")) for name, content in files.items()])
        else:
            answer = self.http.post("/api/v1/jobs", retry=True, headers=headers, json=body)
        return Job(self, answer["id"])

    def submit_batch(self, specs: Iterable[Dict[str, Any]], *, name: Optional[str] = None,
                     reuse: Optional[bool] = None, idempotency_key: Optional[str] = None) -> Batch:
        """Submits up to 1,000 jobs as one batch, all or none; `reuse=False` runs every job even if an identical one finished."""
        jobs: List[Dict[str, Any]] = []
        for i, spec in enumerate(specs):
            if spec.get("_files"):
                raise ValueError(f"jobs[{i}]: a job with uploaded files is submitted alone (client.submit)")
            jobs.append(spec)
        if not jobs:
            raise ValueError("specs: give at least one job")
        if len(jobs) > MAX_BULK:
            raise ValueError(f"specs: at most {MAX_BULK} jobs per batch (got {len(jobs)}); split them")
        body: Dict[str, Any] = {"jobs": jobs}
        if name is not None:
            body["name"] = name
        if reuse is not None:
            body["reuse"] = reuse
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        answer = self.http.post("/api/v1/jobs/bulk", retry=True, headers=headers, json=body)
        return Batch(self, answer["batchId"], answer.get("jobIds"))

    # -- reading ------------------------------------------------------------------------------

    def job(self, job_id: str) -> Job:
        return Job(self, job_id)

    def batch(self, batch_id: str) -> Batch:
        return Batch(self, batch_id)

    def jobs(self, *, status: Optional[str] = None, engine: Optional[str] = None, batch: Optional[str] = None,
             q: Optional[str] = None, limit: Optional[int] = None, page_size: int = 100) -> Iterator[Dict[str, Any]]:
        """Own jobs, newest first (a batch's: in submission order), read page by page (by cursor) as the iteration goes."""
        params: Dict[str, Any] = {"pageSize": page_size}
        for key, value in (("status", status), ("engine", engine), ("batchId", batch), ("q", q)):
            if value is not None:
                params[key] = value
        seen = 0
        while True:
            page = self.http.get("/api/v1/jobs", params=params)
            for item in page["items"]:
                yield item
                seen += 1
                if limit is not None and seen >= limit:
                    return
            if not page.get("nextCursor"):
                return
            params = {**params, "cursor": page["nextCursor"]}
            params.pop("page", None)

    # -- acting -------------------------------------------------------------------------------

    def cancel(self, job_id: str) -> Dict[str, Any]:
        return self.http.post(f"/api/v1/jobs/{job_id}/cancel")

    def retry(self, *, batch_id: Optional[str] = None, job_ids: Optional[List[str]] = None,
              engine: Optional[str] = None, error: Optional[str] = None, q: Optional[str] = None,
              created_from: Optional[str] = None, created_to: Optional[str] = None) -> Dict[str, Any]:
        """Runs failed jobs again, chosen by batch, ids, engine, error text, name or dates (all given apply)."""
        body = {k: v for k, v in (("batchId", batch_id), ("jobIds", job_ids), ("engine", engine), ("error", error),
                                  ("q", q), ("createdFrom", created_from), ("createdTo", created_to)) if v is not None}
        return self.http.post("/api/v1/jobs/retry", json=body)
