"""molq: submit computational-chemistry jobs to a molq master from Python and follow them."""

from .client import Client
from .downloads import IntegrityError
from .handles import Batch, Job, JobFailed
from .http import MolqError
from .jobs import gaussian, lammps_script, lammps_template, xtb

__all__ = ["Client", "Job", "Batch", "JobFailed", "MolqError", "IntegrityError", "xtb", "gaussian",
           "lammps_template", "lammps_script"]
__version__ = "0.1.0"
