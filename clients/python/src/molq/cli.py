"""The `molq` command: submit, status, wait, fetch, export, cancel, retry (MOLQ_URL and MOLQ_TOKEN, or --url/--token)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from .doctor import report

try:
    import httpx
except ImportError:  # say what is missing, not a traceback
    sys.exit(report() or 1)

from .client import Client
from .downloads import IntegrityError
from .handles import JobFailed
from .http import MolqError


def _load_jobs(path: str) -> Dict[str, Any]:
    """A job file: one job object, a list of jobs, or {"name": …, "jobs": [...]} (a batch)."""
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except ValueError as err:
        raise SystemExit(f"molq: {path}: not JSON ({err})")
    if isinstance(data, list):
        return {"jobs": data}
    if isinstance(data, dict) and isinstance(data.get("jobs"), list):
        return data
    if isinstance(data, dict):
        return {"job": data}
    raise SystemExit(f"molq: {path}: expected a job object, a list of jobs or {{\"jobs\": [...]}}")


def _is_batch(client: Client, ident: str) -> bool:
    """An id names a job or a batch; try the job first."""
    try:
        client.http.get(f"/api/v1/jobs/{ident}")
        return False
    except MolqError as err:
        if err.status in (400, 404):
            client.http.get(f"/api/v1/batches/{ident}")  # raises 404 naming it when neither
            return True
        raise


def _print(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def cmd_submit(client: Client, args: argparse.Namespace) -> int:
    loaded = _load_jobs(args.file)
    if "job" in loaded:
        job = client.submit(loaded["job"])
        print(job.id, flush=True)  # at once: a script reads the id while --wait goes on
        if args.wait:
            done = job.wait(raise_on_failure=False)
            _print({"id": job.id, "status": done["status"], "error": done.get("error")})
            return 0 if done["status"] == "COMPLETED" else 1
        return 0
    batch = client.submit_batch(loaded["jobs"], name=args.name or loaded.get("name"),
                                reuse=False if args.no_reuse else loaded.get("reuse"))
    print(batch.id, flush=True)
    if args.wait:
        counts = batch.wait()
        _print(counts)
        return 0 if set(counts) <= {"COMPLETED"} else 1
    return 0


def cmd_status(client: Client, args: argparse.Namespace) -> int:
    if not args.id:
        for item in client.jobs(limit=args.limit, status=args.status):
            print(f"{item['id']}  {item['status']:<10} {item['engine']:<8} {item.get('name') or ''}")
        return 0
    if _is_batch(client, args.id):
        info = client.batch(args.id).info()
        _print({"id": info["id"], "name": info["name"], "jobCount": info["jobCount"],
                "counts": {k: v for k, v in info["counts"].items() if v}})
    else:
        info = client.job(args.id).info()
        _print({k: info.get(k) for k in ("id", "name", "engine", "status", "progress", "error", "engineVersion",
                                         "reusedFrom", "createdAt", "finishedAt")})
    return 0


def cmd_wait(client: Client, args: argparse.Namespace) -> int:
    if _is_batch(client, args.id):
        counts = client.batch(args.id).wait(timeout=args.timeout)
        _print(counts)
        return 0 if set(counts) <= {"COMPLETED"} else 1
    job = client.job(args.id).wait(timeout=args.timeout, raise_on_failure=False)
    _print({"id": job["id"], "status": job["status"], "error": job.get("error")})
    return 0 if job["status"] == "COMPLETED" else 1


def cmd_fetch(client: Client, args: argparse.Namespace) -> int:
    kinds = args.kind or None
    paths = (client.batch(args.id).download(args.to, kinds) if _is_batch(client, args.id)
             else client.job(args.id).download(args.to, kinds))
    for p in paths:
        print(p)
    return 0


def cmd_export(client: Client, args: argparse.Namespace) -> int:
    batch = client.batch(args.id)
    if args.output:
        batch.export(args.format, to=args.output)
    else:
        sys.stdout.write(batch.export(args.format))
    return 0


def cmd_cancel(client: Client, args: argparse.Namespace) -> int:
    for ident in args.ids:
        _print(client.cancel(ident))
    return 0


def cmd_retry(client: Client, args: argparse.Namespace) -> int:
    if _is_batch(client, args.id):
        _print(client.retry(batch_id=args.id, error=args.error))
    else:
        _print(client.retry(job_ids=[args.id]))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="molq", description="Submit and follow molq jobs from the shell.")
    p.add_argument("--url", help="the master's address (default: $MOLQ_URL)")
    p.add_argument("--token", help="a personal API token (default: $MOLQ_TOKEN)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("submit", help="submit a job file: one job, a list, or {\"name\", \"jobs\"} as a batch")
    s.add_argument("file", help="JSON file, or - for stdin")
    s.add_argument("--name", help="the batch's name")
    s.add_argument("--no-reuse", action="store_true", help="run every job even if an identical one has finished")
    s.add_argument("--wait", action="store_true", help="wait until it has finished")
    s.set_defaults(run=cmd_submit)

    s = sub.add_parser("status", help="a job's or batch's status; without an id, your latest jobs")
    s.add_argument("id", nargs="?")
    s.add_argument("--status", help="only jobs in this status (list)")
    s.add_argument("--limit", type=int, default=20, help="how many jobs to list (default 20)")
    s.set_defaults(run=cmd_status)

    s = sub.add_parser("wait", help="wait for a job or batch; exit 1 unless everything COMPLETED")
    s.add_argument("id")
    s.add_argument("--timeout", type=float, help="seconds (default: no limit)")
    s.set_defaults(run=cmd_wait)

    s = sub.add_parser("fetch", help="download a job's or batch's artifacts, each sha256-verified")
    s.add_argument("id")
    s.add_argument("--to", required=True, help="folder to write into")
    s.add_argument("--kind", action="append", help="only this kind (input, output, report); repeatable")
    s.set_defaults(run=cmd_fetch)

    s = sub.add_parser("export", help="a batch's results as one table")
    s.add_argument("id")
    s.add_argument("--format", choices=["csv", "json"], default="csv")
    s.add_argument("-o", "--output", help="file to write (default: stdout)")
    s.set_defaults(run=cmd_export)

    s = sub.add_parser("cancel", help="cancel jobs that have not finished")
    s.add_argument("ids", nargs="+")
    s.set_defaults(run=cmd_cancel)

    s = sub.add_parser("retry", help="run a failed job again, or a batch's failed jobs")
    s.add_argument("id")
    s.add_argument("--error", help="only jobs whose error contains this text (batch)")
    s.set_defaults(run=cmd_retry)

    sub.add_parser("doctor", help="what this Python needs for molq, what it has, and how to get the rest")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "doctor":
        return report()
    try:
        with Client(args.url, args.token, progress=not args.quiet and sys.stderr.isatty()) as client:
            return args.run(client, args)
    except (MolqError, JobFailed, IntegrityError, TimeoutError, ValueError) as err:
        print(f"molq: {err}", file=sys.stderr)
        return 2
    except httpx.TransportError as err:
        print(f"molq: cannot reach the master: {err}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
