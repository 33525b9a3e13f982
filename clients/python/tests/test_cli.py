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

    # submit --wait says the same through its exit code, for one job and for a batch: a run that does not
    # complete (cancelled here, mid-run) exits 1
    # the id is printed (and flushed) before the wait begins; the walltime bounds the run if the cancel went astray
    long_run = molq.lammps_template(steps=100_000_000, name="cli long", reuse=False,
                                    resources={"walltimeMinutes": 2})
    for body in (long_run, {"jobs": [long_run]}):
        (tmp_path / "long.json").write_text(json.dumps(body))
        waiting = subprocess.Popen([sys.executable, "-m", "molq.cli", "--quiet", "submit", str(tmp_path / "long.json"),
                                    "--wait"], stdout=subprocess.PIPE, text=True)
        ident = waiting.stdout.readline().strip()
        with molq.Client(progress=False) as c:
            jobs = [ident] if "jobs" not in body else [j["id"] for j in c.batch(ident).jobs()]
            for job_id in jobs:
                try:
                    c.cancel(job_id)
                except molq.MolqError as err:  # it ended on its own first (409): not COMPLETED all the same
                    assert err.status == 409, err
        out, _ = waiting.communicate(timeout=120)
        assert waiting.returncode == 1, out
        assert "CANCELLED" in out or "FAILED" in out, out


def test_bad_ids_and_files_get_clear_messages(tmp_path):
    done = molq_cmd("status", "not-an-id", check=False)
    assert done.returncode == 2 and "id" in done.stderr
    (tmp_path / "bad.json").write_text("{nope")
    done = molq_cmd("submit", str(tmp_path / "bad.json"), check=False)
    assert done.returncode != 0 and "not JSON" in done.stderr


def test_doctor_names_what_is_missing_and_how_to_get_it():
    ok = subprocess.run([sys.executable, "-m", "molq.cli", "doctor"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "ok: httpx, tqdm and pandas" in ok.stdout
    hidden = "import sys; sys.modules['pandas'] = None\nfrom molq.cli import main\nsys.exit(main(['doctor']))"
    missing = subprocess.run([sys.executable, "-c", hidden], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1
    assert "pandas is missing (needed for Batch.dataframe()): `apt install python3-pandas`" in missing.stdout
    assert "/usr/bin/python3 -m venv --system-site-packages" in missing.stdout
