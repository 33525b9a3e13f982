"""A submitted job and a batch, as handles that read the master when asked."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional

from tqdm import tqdm

from .downloads import download_artifact, safe_name
from .events import FINAL, wait_until

if TYPE_CHECKING:
    from .client import Client


class JobFailed(Exception):
    """A waited-for job ended FAILED or CANCELLED; `job` holds what the master said of it."""

    def __init__(self, job: Dict[str, Any]):
        self.job = job
        super().__init__(f"job {job['id']} {job['status']}: {job.get('error') or 'no reason given'}")


class Job:
    def __init__(self, client: "Client", job_id: str):
        self.client = client
        self.id = job_id

    def __repr__(self) -> str:
        return f"Job({self.id!r})"

    def info(self) -> Dict[str, Any]:
        """Everything the master says of the job: spec, status, progress, events, artifacts, quantities."""
        return self.client.http.get(f"/api/v1/jobs/{self.id}")

    @property
    def status(self) -> str:
        return self.info()["status"]

    def wait(self, timeout: Optional[float] = None, *, progress: Optional[bool] = None,
             raise_on_failure: bool = True) -> Dict[str, Any]:
        """Waits until the job is COMPLETED, FAILED or CANCELLED and returns it (raises JobFailed unless asked not to)."""
        state: Dict[str, Any] = {}
        bar = _bar(self.client, progress, total=100, desc=f"job {self.id[:8]}", unit="%")

        def check() -> bool:
            state.update(self.info())
            if bar is not None:
                bar.set_postfix_str(state["status"], refresh=False)
                bar.update(round(100 * float(state.get("progress") or 0)) - bar.n)
            return state["status"] in FINAL

        try:
            if not wait_until(self.client.http, lambda e: e.get("id") == self.id, check, timeout):
                raise TimeoutError(f"job {self.id} still {state.get('status')} after {timeout} s")
        finally:
            if bar is not None:
                bar.close()
        if raise_on_failure and state["status"] != "COMPLETED":
            raise JobFailed(state)
        return state

    def results(self) -> Dict[str, Dict[str, Any]]:
        """Every value the job reported, by label: {"total energy": {"value": -5.07, "unit": "Eh"}, …}."""
        job = self.info()
        return {q["label"]: {"value": q["value"], "unit": q.get("unit")} for q in job.get("quantities") or []}

    def artifacts(self) -> List[Dict[str, Any]]:
        return self.info()["artifacts"]

    def download(self, to: str | Path, kinds: Optional[List[str]] = None) -> List[Path]:
        """Downloads the job's artifacts (all, or of the given kinds) into to/<kind>/<name>, each sha256-verified."""
        folder = Path(to)
        return [download_artifact(self.client.http, self.id, a, folder) for a in self.artifacts()
                if kinds is None or a["kind"] in kinds]

    def cancel(self) -> Dict[str, Any]:
        return self.client.cancel(self.id)

    def retry(self) -> Dict[str, Any]:
        return self.client.retry(job_ids=[self.id])

    @property
    def reused_from(self) -> Optional[str]:
        """The job whose results this one took instead of running (None when it ran)."""
        return self.info().get("reusedFrom")


class Batch:
    def __init__(self, client: "Client", batch_id: str, job_ids: Optional[List[str]] = None):
        self.client = client
        self.id = batch_id
        self.job_ids = job_ids

    def __repr__(self) -> str:
        return f"Batch({self.id!r})"

    def info(self) -> Dict[str, Any]:
        """The batch's name, job count, counts per status and report links."""
        return self.client.http.get(f"/api/v1/batches/{self.id}")

    def counts(self) -> Dict[str, int]:
        return {k: v for k, v in self.info()["counts"].items() if v}

    def wait(self, timeout: Optional[float] = None, *, progress: Optional[bool] = None) -> Dict[str, int]:
        """Waits until every job of the batch has finished; returns the counts per status."""
        state: Dict[str, Any] = {}
        bar = None

        def check() -> bool:
            nonlocal bar
            state.update(self.info())
            total = state["jobCount"]
            done = sum(state["counts"].get(s, 0) for s in FINAL)
            if bar is None:
                bar = _bar(self.client, progress, total=total, desc=state.get("name") or f"batch {self.id[:8]}",
                           unit="job")
            if bar is not None:
                bar.set_postfix({s.lower(): n for s, n in state["counts"].items() if n}, refresh=False)
                bar.update(done - bar.n)
            return done >= total

        try:
            if not wait_until(self.client.http, lambda e: e.get("batchId") == self.id, check, timeout):
                raise TimeoutError(f"batch {self.id}: not finished after {timeout} s ({self.counts()})")
        finally:
            if bar is not None:
                bar.close()
        return {k: v for k, v in state["counts"].items() if v}

    def jobs(self, **filters: Any) -> Iterator[Dict[str, Any]]:
        """The batch's jobs (list items: id, name, labels, status, progress…) in the order they were submitted."""
        return self.client.jobs(batch=self.id, **filters)

    def results(self) -> List[Dict[str, Any]]:
        """One dict per job, in submission order: jobId, name, labels, status, engine, engineVersion, inputs (that
        vary), values (label (unit)), error."""
        return self.client.http.get(f"/api/v1/batches/{self.id}/export", params={"format": "json"})

    def dataframe(self):
        """The batch's results as a pandas DataFrame, one row per job in submission order, columns as the CSV
        export's (the jobs' labels right after name)."""
        import pandas as pd  # optional dependency: pip install molq-client[pandas]

        rows = [{"job_id": r["jobId"], "name": r["name"], **(r.get("labels") or {}), "status": r["status"],
                 "engine": r["engine"], "engine_version": r["engineVersion"], **r["inputs"], **r["values"],
                 "error": r["error"]}
                for r in self.results()]
        return pd.DataFrame(rows).set_index("job_id") if rows else pd.DataFrame()

    def export(self, format: str = "csv", to: Optional[str | Path] = None) -> Any:
        """The results table as CSV or JSON text, or written to a file when `to` is given (streamed)."""
        path = f"/api/v1/batches/{self.id}/export"
        if to is None:
            return self.client.http.request("GET", path, params={"format": format}).text
        with self.client.http.stream("GET", path, params={"format": format}) as response:
            self.client.http.checked(response, "GET", path)
            with open(to, "wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
        return Path(to)

    def download(self, to: str | Path, kinds: Optional[List[str]] = None) -> List[Path]:
        """Every job's artifacts into to/<job name>_<id>/<kind>/<name>, each sha256-verified."""
        paths: List[Path] = []
        for item in self.jobs():
            folder = Path(to) / f"{safe_name(item.get('name') or '', 'job')}_{item['id'][:8]}"
            paths.extend(Job(self.client, item["id"]).download(folder, kinds))
        return paths

    def retry(self, error: Optional[str] = None) -> Dict[str, Any]:
        """Runs the batch's failed jobs again (those whose error contains `error`, when given)."""
        return self.client.retry(batch_id=self.id, error=error)


def _bar(client: "Client", progress: Optional[bool], **kwargs: Any):
    show = client.progress if progress is None else progress
    return tqdm(file=sys.stderr, leave=True, **kwargs) if show else None
