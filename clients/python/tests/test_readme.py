"""The five-line Python session of the repository's README runs as written, against the real master."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_session() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- python-session -->\s*```python\n(.*?)```", text, re.S)
    assert found, "README.md has no ```python block after <!-- python-session -->"
    return found.group(1)


def test_the_readme_session_scans_fifty_waters_then_reuses_all_of_them(client):
    code = readme_session()
    assert len(code.strip().splitlines()) == 5
    namespace: dict = {}
    exec(compile(code, str(README), "exec"), namespace)  # as a notebook would run it

    df = namespace["df"]
    assert len(df) == 50 and set(df["status"]) == {"COMPLETED"}
    energies = df.sort_values("name")["total energy (Eh)"]
    assert energies.notna().all() and energies.nunique() == 50
    again = namespace["again"]
    assert again.counts() == {"COMPLETED": 50}
    assert all(client.job(j["id"]).reused_from for j in again.jobs())
