"""`molq doctor`: what this Python needs for the client, what it has, and how to get what is missing.

Chemists' `python3` is often a pyenv or conda shim: a venv made from it cannot see Debian's
python3-* packages, and pip then fails to build (`invalid command 'bdist_wheel'`). This says so.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import List, Optional, Tuple

# (module, needed for, Debian package, least version)
REQUIREMENTS: List[Tuple[str, str, str, Optional[str]]] = [
    ("httpx", "talking to the master", "python3-httpx", "0.23"),
    ("tqdm", "progress bars", "python3-tqdm", None),
    ("pandas", "Batch.dataframe()", "python3-pandas", None),
]


def _version_tuple(text: str) -> Tuple[int, ...]:
    return tuple(int(p) for p in text.split(".")[:3] if p.isdigit())


def check() -> List[str]:
    """One line per problem (empty: everything is there)."""
    problems = []
    for module, purpose, debian, least in REQUIREMENTS:
        try:
            found = importlib.import_module(module)
        except ImportError:
            problems.append(f"{module} is missing (needed for {purpose}): `apt install {debian}` "
                            f"and a venv made with `/usr/bin/python3 -m venv --system-site-packages`, "
                            f"or `pip install {module}`")
            continue
        version = getattr(found, "__version__", "0")
        if least and _version_tuple(version) < _version_tuple(least):
            problems.append(f"{module} {version} is older than {least} (needed for {purpose})")
    return problems


def report() -> int:
    """Prints what this interpreter is and has; exit 1 when something is missing."""
    exe = os.path.realpath(sys.executable)
    shim = any(s in exe for s in ("/.pyenv/", "/conda", "/miniconda", "/anaconda", "/mambaforge", "/miniforge"))
    print(f"python: {sys.version.split()[0]} at {exe}")
    if shim:
        print("note: this is a pyenv/conda interpreter: it does not see Debian's python3-* packages; on Debian make "
              "the venv with `/usr/bin/python3 -m venv --system-site-packages .venv`")
    problems = check()
    for p in problems:
        print(f"missing: {p}")
    if not problems:
        print("ok: httpx, tqdm and pandas are importable")
    return 1 if problems else 0
