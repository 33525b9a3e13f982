"""The five-line Python session of the repository's README runs as written, against the real master."""

import re
import time
from datetime import datetime
from pathlib import Path

import molq.events

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_session() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- python-session -->\s*```python\n(.*?)```", text, re.S)
    assert found, "README.md has no ```python block after <!-- python-session -->"
    return found.group(1)


def test_the_readme_session_scans_fifty_waters_then_reuses_all_of_them(client, monkeypatch):
    # waits must come from the event stream: with polling slowed to a minute, a wait that misses
    # the stream's events returns far more than a second after the server finished the batch
    monkeypatch.setattr(molq.events, "POLL_SECONDS", 60.0)
    code = readme_session()
    assert len(code.strip().splitlines()) == 5
    namespace: dict = {}
    exec(compile(code, str(README), "exec"), namespace)  # as a notebook would run it
    returned = time.time()

    df = namespace["df"]
    assert len(df) == 50 and set(df["status"]) == {"COMPLETED"}
    energies = df.sort_values("name")["total energy (Eh)"]
    assert energies.notna().all() and energies.nunique() == 50
    again = namespace["again"]
    assert again.counts() == {"COMPLETED": 50}
    assert all(client.job(j["id"]).reused_from for j in again.jobs())
    finished = max(datetime.fromisoformat(client.job(j["id"]).info()["finishedAt"].replace("Z", "+00:00")).timestamp()
                   for j in again.jobs())
    assert returned - finished < 1.0, f"the second batch's wait returned {returned - finished:.2f} s after it finished"
