"""Batches through the real API: wait with events, results as a DataFrame, export, fetch, reuse."""

import csv
import io
import json
import random

import pytest

import molq
from conftest import water


def test_a_batch_is_waited_for_and_read_as_a_dataframe_and_exported(client, tmp_path, unique):
    base = random.uniform(0.6, 0.7)
    batch = client.submit_batch([molq.xtb(water(base + i * 0.01), name=f"scan {i}") for i in range(6)],
                                name=f"scan {unique}")
    assert batch.wait(timeout=300) == {"COMPLETED": 6}

    df = batch.dataframe()
    assert len(df) == 6 and set(df["status"]) == {"COMPLETED"}
    assert "total energy (Eh)" in df.columns and df["total energy (Eh)"].notna().all()
    assert "qc.xyz" not in df.columns  # the molecule varies but the name stands for it

    rows = list(csv.DictReader(io.StringIO(batch.export("csv"))))
    assert {r["job_id"] for r in rows} == set(df.index)
    batch.export("json", to=tmp_path / "scan.json")
    assert len(json.loads((tmp_path / "scan.json").read_text())) == 6

    paths = batch.download(tmp_path / "files", kinds=["report"])
    assert len({p.parent.parent for p in paths}) == 6  # one folder per job


def test_resubmitting_a_finished_batch_reuses_every_result_without_running(client, unique):
    specs = [molq.xtb(water(random.uniform(0.7, 0.8)), name=f"reuse {unique} {i}") for i in range(3)]
    first = client.submit_batch(specs, name=f"first {unique}")
    first.wait(timeout=300)
    again = client.submit_batch(specs, name=f"again {unique}")
    assert again.wait(timeout=60) == {"COMPLETED": 3}
    originals = {j["name"]: j["id"] for j in first.jobs()}
    for item in again.jobs():
        job = client.job(item["id"]).info()
        assert job["reusedFrom"] == originals[item["name"]]
        assert job["schedulerId"] is None  # no engine ran
        assert any("reused from" in (e["message"] or "") for e in job["events"])
    assert again.dataframe()["total energy (Eh)"].tolist() == first.dataframe().loc[
        [originals[n] for n in again.dataframe()["name"]], "total energy (Eh)"].tolist()

    fresh = client.submit_batch(specs, name=f"fresh {unique}", reuse=False)
    fresh.wait(timeout=300)
    assert all(client.job(j["id"]).reused_from is None for j in fresh.jobs())


def test_failed_jobs_of_a_batch_are_retried_by_their_error(client, unique):
    shift = random.uniform(0.01, 0.5)
    clash = f"3\nclash\nO 0.000 0.000 {shift:.4f}\nH 0.000 0.000 {shift:.4f}\nH 0.000 -0.757 -0.467\n"
    batch = client.submit_batch([molq.xtb(water(random.uniform(1.0, 1.1)), name="fine"),
                                 molq.xtb(clash, name="two atoms in one place")], name=f"retry {unique}")
    assert batch.wait(timeout=300) == {"COMPLETED": 1, "FAILED": 1}
    df = batch.dataframe()
    error = df.loc[df["status"] == "FAILED", "error"].iloc[0]
    assert error

    assert batch.retry(error="no job failed like this")["retried"] == 0
    retried = batch.retry(error=error[:40])
    assert retried["retried"] == 1
    assert batch.wait(timeout=300) == {"COMPLETED": 1, "FAILED": 1}
    timeline = client.job(retried["jobIds"][0]).info()["events"]
    assert [e["to"] for e in timeline].count("FAILED") == 2


def test_exporting_a_batch_that_is_not_yours_to_a_file_is_refused_and_writes_nothing(client, tmp_path):
    import uuid

    import pytest

    with pytest.raises(molq.MolqError) as refused:
        client.batch(str(uuid.uuid4())).export("csv", to=tmp_path / "x.csv")
    assert refused.value.status == 404 and not (tmp_path / "x.csv").exists()


def test_a_scan_comes_back_in_submission_order_with_its_labels_as_columns(client, unique):
    # issue 28.2: the jobs' ids are random, so id order would shuffle the scan
    stretches = [-0.12 + 0.04 * i for i in range(10)]
    offset = random.uniform(0.0, 0.001)  # a scan no earlier run computed
    r_oh = [round(((0.757 + s + offset) ** 2 + 0.584 ** 2) ** 0.5, 5) for s in stretches]
    specs = [molq.xtb(water(s + offset), name=f"O-H {r}", labels={"r_OH": r, "scan": unique})
             for s, r in zip(stretches, r_oh)]
    batch = client.submit_batch(specs, name=f"O-H scan {unique}")
    assert sorted(batch.job_ids) != batch.job_ids  # the premise: submission order is not id order
    assert batch.wait(timeout=300) == {"COMPLETED": 10}

    df = batch.dataframe()
    assert list(df.index) == batch.job_ids
    assert list(df.columns[:3]) == ["name", "r_OH", "scan"]
    assert df["r_OH"].tolist() == r_oh
    energies = df["total energy (Eh)"].tolist()
    lowest = energies.index(min(energies))
    assert 0 < lowest < 9  # a well, not a zig-zag
    assert all(a > b for a, b in zip(energies[:lowest], energies[1:lowest + 1]))
    assert all(a < b for a, b in zip(energies[lowest:], energies[lowest + 1:]))

    assert [j["id"] for j in batch.jobs()] == batch.job_ids
    assert [j["labels"]["r_OH"] for j in batch.jobs()] == r_oh
    rows = list(csv.reader(io.StringIO(batch.export("csv"))))
    assert rows[0][:4] == ["job_id", "name", "r_OH", "scan"]
    assert [r[0] for r in rows[1:]] == batch.job_ids


def test_labels_are_refused_naming_the_label(client):
    with pytest.raises(molq.MolqError) as refused:
        client.submit(molq.xtb(water(0.2), labels={"r OH": 0.9}))
    assert refused.value.status == 400
    assert any(m.startswith("labels.r OH: ") for m in refused.value.messages)
