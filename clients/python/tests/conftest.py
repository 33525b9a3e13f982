"""The suite runs against a real molq master: MOLQ_URL and MOLQ_TOKEN (a submit-scoped token),
MOLQ_READ_TOKEN (a read-scoped one of the same user). `npm test` starts a master and sets them
(test/integration/python-client.spec.ts)."""

import os
import uuid

import pytest

import molq

WATER = "3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n"

MELT_SCRIPT = """units lj
atom_style atomic
lattice fcc 0.8442
region box block 0 4 0 4 0 4
create_box 1 box
create_atoms 1 box
mass 1 1.0
velocity all create 3.0 87287 loop geom
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0 2.5
fix 1 all nve
thermo 50
run 200
"""


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: these tests need a running master (see conftest.py)", returncode=4)
    return value


@pytest.fixture(scope="session")
def url() -> str:
    return _env("MOLQ_URL")


@pytest.fixture(scope="session")
def token() -> str:
    return _env("MOLQ_TOKEN")


@pytest.fixture()
def client(url, token):
    with molq.Client(url, token, progress=False) as c:
        yield c


@pytest.fixture()
def unique() -> str:
    """A name no earlier test used (reuse matches on content, so tests vary what they compute)."""
    return uuid.uuid4().hex[:10]


def water(stretch: float = 0.0) -> str:
    """Water with one O–H bond lengthened by `stretch` Å (a different molecule to xtb for each value)."""
    return (f"3\nwater\nO 0.000 0.000 0.117\nH 0.000 {0.757 + stretch:.4f} -0.467\n"
            f"H 0.000 -0.757 -0.467\n")
