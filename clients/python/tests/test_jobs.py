"""One job at a time through the real API: submit, wait, results, artifacts, cancel, retry, refusals."""

import hashlib
import random
import time
from datetime import datetime

import httpx
import pytest

import molq
import molq.events
from conftest import MELT_SCRIPT, water


def test_an_xtb_job_runs_and_reports_its_energy_with_its_unit(client, unique):
    job = client.submit(molq.xtb(water(random.uniform(0.001, 0.2)), name=f"water {unique}"))
    done = job.wait(timeout=300)
    assert done["status"] == "COMPLETED"
    assert done["engineVersion"].startswith("xtb ")
    results = job.results()
    assert results["total energy"]["unit"] == "Eh"
    assert -6 < results["total energy"]["value"] < -4


def test_artifacts_download_with_their_sha256_checked(client, tmp_path):
    job = client.submit(molq.xtb(water(random.uniform(0.2, 0.3)), name="download"))
    job.wait(timeout=300)
    paths = job.download(tmp_path)
    listed = job.artifacts()
    assert len(paths) == len(listed) and len(paths) >= 3
    for artifact in listed:
        path = tmp_path / artifact["kind"] / artifact["name"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == artifact["sha256"]
    assert not list(tmp_path.rglob("*.part"))
    assert [p.name for p in job.download(tmp_path / "reports", kinds=["report"])]


def test_a_file_changed_on_the_way_is_refused_and_not_kept(url, token, tmp_path):
    class Corrupting(httpx.HTTPTransport):
        """The real master's answers, with one byte of every downloaded file flipped in transit."""

        def handle_request(self, request):
            response = super().handle_request(request)
            if "/api/v1/files/" not in request.url.path:
                return response
            body = bytearray(response.read())
            body[len(body) // 2] ^= 0x01
            return httpx.Response(response.status_code, headers=response.headers, content=bytes(body))

    with molq.Client(url, token, progress=False) as good, \
            molq.Client(url, token, progress=False, transport=Corrupting()) as bad:
        job = good.submit(molq.xtb(water(random.uniform(0.3, 0.4)), name="corrupted"))
        job.wait(timeout=300)
        with pytest.raises(molq.IntegrityError, match="sha256"):
            bad.job(job.id).download(tmp_path)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_lammps_template_and_an_uploaded_script_both_run(client, unique):
    template = client.submit(molq.lammps_template(atomsPerSide=4, steps=100 + random.randrange(100),
                                                  name=f"melt {unique}"))
    script = client.submit(molq.lammps_script(MELT_SCRIPT.replace("87287", str(random.randrange(1, 10**6))),
                                              name=f"script {unique}"))
    for job in (template, script):
        assert job.wait(timeout=300)["status"] == "COMPLETED"
        assert "final TotEng" in job.results()


def test_a_wait_is_woken_by_the_event_stream_within_a_second_of_the_job_finishing(client, monkeypatch):
    monkeypatch.setattr(molq.events, "POLL_SECONDS", 60.0)  # polling cannot hide a stream that delivers nothing
    job = client.submit(molq.xtb(water(random.uniform(0.5, 0.6)), name="woken", reuse=False))
    done = job.wait(timeout=300)
    returned = time.time()
    finished = datetime.fromisoformat(done["finishedAt"].replace("Z", "+00:00")).timestamp()
    assert done["status"] == "COMPLETED" and returned - finished < 1.0, returned - finished


def test_events_are_read_whatever_line_endings_the_http_library_keeps():
    class Lines:
        def __init__(self, lines):
            self.lines = lines

        def iter_lines(self):
            return iter(self.lines)

    stream = ['event: job\n', 'data: {"id": "a", "status": "COMPLETED"}\n', '\n', ': ping\r\n', '\r\n',
              'event: job', 'data: {"id": "b", "status": "RUNNING"}', '']
    assert [e["id"] for e in molq.events.read_events(Lines(stream))] == ["a", "b"]


def test_waiting_falls_back_to_polling_when_the_event_stream_is_cut(url, token):
    class NoEvents(httpx.HTTPTransport):
        def handle_request(self, request):
            if request.url.path == "/api/v1/events":
                raise httpx.ConnectError("the proxy drops event streams", request=request)
            return super().handle_request(request)

    with molq.Client(url, token, progress=False, transport=NoEvents()) as c:
        job = c.submit(molq.xtb(water(random.uniform(0.4, 0.5)), name="polled"))
        assert job.wait(timeout=300)["status"] == "COMPLETED"


def test_a_failed_job_raises_then_runs_again_on_retry_with_both_attempts_on_its_timeline(client):
    job = client.submit(molq.lammps_script(f"units lj\nrun {random.randrange(1, 10**6)}\n", name="broken"))
    with pytest.raises(molq.JobFailed) as failed:
        job.wait(timeout=300)
    assert failed.value.job["status"] == "FAILED"
    assert job.retry()["retried"] == 1
    again = job.wait(timeout=300, raise_on_failure=False)
    assert again["status"] == "FAILED"
    assert sum(1 for e in again["events"] if e["to"] == "FAILED") == 2


def test_a_long_job_is_cancelled(client):
    job = client.submit(molq.lammps_template(atomsPerSide=20, steps=50_000_000, seed=random.randrange(1, 10**6),
                                             name="long"))
    job.cancel()
    assert job.wait(timeout=120, raise_on_failure=False)["status"] == "CANCELLED"


def test_bad_input_is_refused_naming_the_field(client):
    with pytest.raises(molq.MolqError) as refused:
        client.submit(molq.xtb(water(), task="nonsense"))
    assert refused.value.status == 400
    assert any("task" in m for m in refused.value.messages)


def test_a_read_token_reads_but_cannot_submit(url, client):
    import os

    with molq.Client(url, os.environ["MOLQ_READ_TOKEN"], progress=False) as reader:
        assert reader.me()["email"]
        with pytest.raises(molq.MolqError) as refused:
            reader.submit(molq.xtb(water()))
    assert refused.value.status == 403


def test_a_submission_whose_answer_was_lost_is_sent_again_and_makes_one_job(url, token, client, unique):
    class LoseFirstAnswer(httpx.HTTPTransport):
        """The request reaches the master; its answer is lost on the way back, once."""

        lost = 0

        def handle_request(self, request):
            response = super().handle_request(request)
            if request.method == "POST" and self.lost == 0:
                self.lost += 1
                response.read()
                raise httpx.ReadError("connection reset by peer", request=request)
            return response

    with molq.Client(url, token, progress=False, transport=LoseFirstAnswer()) as flaky:
        job = flaky.submit(molq.xtb(water(random.uniform(0.5, 0.6)), name=f"once {unique}"))
    matching = list(client.jobs(q=f"once {unique}"))
    assert [j["id"] for j in matching] == [job.id]


def test_gaussian_specs_carry_the_keyword_escape_and_may_leave_the_basis_out():
    plain = molq.gaussian(water(0.96), "optfreq", method="B3LYP", basis="6-31G(d)")
    assert plain["qc"]["basis"] == "6-31G(d)" and "customKeywords" not in plain["qc"]
    custom = molq.gaussian(water(0.96), method="MyFunctional", basis=None, custom_keywords=True)
    assert custom["qc"]["customKeywords"] is True and "basis" not in custom["qc"]


def test_a_misspelled_gaussian_method_is_refused_with_the_closest_name(client):
    with pytest.raises(molq.MolqError) as refused:
        client.submit(molq.gaussian(water(0.96), method="B3LPY"))
    assert refused.value.status == 400 and "did you mean B3LYP?" in str(refused.value)
