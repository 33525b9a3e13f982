"""Job specifications as the API takes them, built from Python values.

Each builder returns a plain dict (the body of POST /api/v1/jobs); the master validates it and
answers 400 naming the field when something is wrong, so these only shape, never second-guess.
Every builder takes `labels={"r_OH": 0.92}`: the job's own names for what it is (numbers or short
text), which the batch's export and DataFrame show as columns and its report plots against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Union

Spec = Dict[str, Any]
FileContent = Union[str, bytes, Path]
# A job's own labels ({"r_OH": 0.92}): columns of the batch's export and DataFrame, the batch plot's x axis
Labels = Mapping[str, Union[float, int, str]]


def _common(spec: Spec, name: Optional[str], priority: Optional[int], resources: Optional[Mapping[str, Any]],
            reuse: Optional[bool], labels: Optional[Labels] = None) -> Spec:
    if name is not None:
        spec["name"] = name
    if labels:
        spec["labels"] = dict(labels)
    if priority is not None:
        spec["priority"] = priority
    if resources:
        spec["resources"] = dict(resources)
    if reuse is not None:
        spec["reuse"] = reuse
    return spec


def xtb(xyz: str, task: str = "sp", *, charge: int = 0, multiplicity: int = 1, gfn: int = 2,
        name: Optional[str] = None, priority: Optional[int] = None,
        resources: Optional[Mapping[str, Any]] = None, reuse: Optional[bool] = None,
        labels: Optional[Labels] = None) -> Spec:
    """An xtb job on a molecule given as XYZ text (task: sp, opt, freq…; gfn 0, 1 or 2)."""
    qc = {"xyz": xyz, "task": task, "charge": charge, "multiplicity": multiplicity, "gfn": gfn}
    return _common({"type": "qc", "engine": "xtb", "qc": qc}, name, priority, resources, reuse, labels)


def gaussian(xyz: str, task: str = "sp", *, method: str = "B3LYP", basis: Optional[str] = "6-31G(d)",
             charge: int = 0, multiplicity: int = 1, name: Optional[str] = None, priority: Optional[int] = None,
             resources: Optional[Mapping[str, Any]] = None, reuse: Optional[bool] = None,
             labels: Optional[Labels] = None, custom_keywords: bool = False) -> Spec:
    """A Gaussian job (route built by the master from task, method and basis; task sp, opt, freq or optfreq).

    The master checks method and basis against the names Gaussian 16 knows; custom_keywords=True sends
    them as written. Methods that bring their own basis (PM6, CBS-QB3, G4…) take basis=None.
    """
    qc: Dict[str, Any] = {"xyz": xyz, "task": task, "charge": charge, "multiplicity": multiplicity, "method": method}
    if basis is not None:
        qc["basis"] = basis
    if custom_keywords:
        qc["customKeywords"] = True
    return _common({"type": "qc", "engine": "gaussian", "qc": qc}, name, priority, resources, reuse, labels)


def lammps_template(template: str = "lj-melt", *, name: Optional[str] = None, priority: Optional[int] = None,
                    resources: Optional[Mapping[str, Any]] = None, reuse: Optional[bool] = None,
                    labels: Optional[Labels] = None, **params: Any) -> Spec:
    """A LAMMPS job from a built-in template; params as the template takes them (atomsPerSide, steps…)."""
    md: Dict[str, Any] = {"template": template}
    if params:
        md["params"] = params
    return _common({"type": "md", "engine": "lammps", "md": md}, name, priority, resources, reuse, labels)


def lammps_script(script: FileContent, *, script_name: str = "in.lammps",
                  files: Optional[Mapping[str, FileContent]] = None, name: Optional[str] = None,
                  priority: Optional[int] = None, resources: Optional[Mapping[str, Any]] = None,
                  reuse: Optional[bool] = None, labels: Optional[Labels] = None) -> Spec:
    """A LAMMPS job from your own input script (and data files it reads), sent as multipart.

    The account needs the `scripts` permission (an admin grants it). `script` and each file may be
    text, bytes or a pathlib.Path to read.
    """
    uploads = {script_name: _content(script)}
    for file_name, content in (files or {}).items():
        uploads[file_name] = _content(content)
    spec = _common({"type": "md", "engine": "lammps", "md": {"script": script_name}}, name, priority, resources,
                   reuse, labels)
    spec["_files"] = uploads
    return spec


def _content(value: FileContent) -> bytes:
    if isinstance(value, Path):
        return value.read_bytes()
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8")
