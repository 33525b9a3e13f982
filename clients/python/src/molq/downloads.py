"""Artifact downloads, each checked against the sha256 the master recorded when it stored it."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Dict

from .http import Http

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class IntegrityError(Exception):
    """A downloaded file's sha256 differs from the one recorded for it (the file is not kept)."""


def safe_name(name: str, fallback: str) -> str:
    """A name the master or another user chose, made into one harmless path component."""
    cleaned = _SAFE.sub("_", name or "").strip("._")[:100]
    return cleaned or fallback


def download_artifact(http: Http, job_id: str, artifact: Dict[str, Any], folder: Path) -> Path:
    """Downloads one artifact into folder/<kind>/<name>; writes to a .part file and renames once verified."""
    target_dir = folder / safe_name(artifact["kind"], "other")
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / safe_name(artifact["name"], artifact["id"])
    link = http.get(f"/api/v1/jobs/{job_id}/artifacts/{artifact['id']}/link")
    partial = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    size = 0
    try:
        with http.stream("GET", link["url"]) as response:
            http.checked(response, "GET", f"/api/v1/files/… ({artifact['name']})")
            with open(partial, "wb") as out:
                for chunk in response.iter_bytes():
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        if digest.hexdigest() != artifact["sha256"] or size != artifact["size"]:
            raise IntegrityError(
                f"{artifact['name']}: got {size} bytes with sha256 {digest.hexdigest()}, "
                f"expected {artifact['size']} bytes with sha256 {artifact['sha256']}"
            )
        os.replace(partial, target)
        return target
    finally:
        if partial.exists():
            partial.unlink()
