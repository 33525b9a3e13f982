"""The `molq` command against the real master (it reads MOLQ_URL and MOLQ_TOKEN)."""

import json
import random
import subprocess
import sys

import molq
from conftest import water


def molq_cmd(*args, check=True):
    done = subprocess.run([sys.executable, "-m", "molq.cli", "--quiet", *args], capture_output=True, text=True,
                          timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"molq {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done


def test_submit_wait_status_export_and_fetch_a_batch(tmp_path, unique):
    jobs = {"name": f"cli {unique}",
            "jobs": [molq.xtb(water(random.uniform(0.8, 0.9)), name=f"cli {i}") for i in range(2)]}
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    batch_id = molq_cmd("submit", str(tmp_path / "jobs.json")).stdout.strip()

    assert json.loads(molq_cmd("wait", batch_id).stdout) == {"COMPLETED": 2}
    status = json.loads(molq_cmd("status", batch_id).stdout)
    assert status["counts"] == {"COMPLETED": 2} and status["name"] == f"cli {unique}"

    molq_cmd("export", batch_id, "--format", "csv", "-o", str(tmp_path / "out.csv"))
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert lines[0].startswith("job_id,name,status") and len(lines) == 3

    fetched = molq_cmd("fetch", batch_id, "--to", str(tmp_path / "files")).stdout.split()
    assert len(fetched) >= 6 and all((tmp_path / "files").joinpath(p).exists() for p in fetched)
    assert batch_id in molq_cmd("status").stdout or molq_cmd("status").stdout.count("COMPLETED") >= 2


def test_one_job_and_its_failure_show_in_the_exit_code(tmp_path):
    (tmp_path / "job.json").write_text(json.dumps(molq.xtb(water(random.uniform(0.9, 1.0)), name="cli one")))
    job_id = molq_cmd("submit", str(tmp_path / "job.json"), "--wait").stdout.split()[0]
    assert json.loads(molq_cmd("status", job_id).stdout)["status"] == "COMPLETED"

    broken = molq.lammps_script(f"units lj\nrun {random.randrange(1, 10**6)}\n", name="cli broken")
    with molq.Client(progress=False) as c:
        failed = c.submit(broken)
    done = molq_cmd("wait", failed.id, check=False)
    assert done.returncode == 1 and json.loads(done.stdout)["status"] == "FAILED"


def test_bad_ids_and_files_get_clear_messages(tmp_path):
    done = molq_cmd("status", "not-an-id", check=False)
    assert done.returncode == 2 and "id" in done.stderr
    (tmp_path / "bad.json").write_text("{nope")
    done = molq_cmd("submit", str(tmp_path / "bad.json"), check=False)
    assert done.returncode != 0 and "not JSON" in done.stderr
