#!/usr/bin/env bash
# Installs the engines the local executor runs (LAMMPS and xtb, from Debian) when missing.
# Gaussian is licensed software and is never installed: point G16_BIN at your g16.
set -euo pipefail
bash "$(dirname "$0")/apt-ensure.sh" ensure-engines "${LMP_BIN:-lmp}=lammps" "${XTB_BIN:-xtb}=xtb"
