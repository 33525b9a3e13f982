#!/usr/bin/env bash
# Installs what the local executor runs (LAMMPS and xtb, from Debian), the sandbox they run in
# (bubblewrap, util-linux's prlimit) and, as root, the unprivileged account engines run as.
# Gaussian is licensed software and is never installed: point G16_BIN at your g16.
set -euo pipefail
bash "$(dirname "$0")/apt-ensure.sh" ensure-engines "${LMP_BIN:-lmp}=lammps" "${XTB_BIN:-xtb}=xtb" "${SANDBOX_BWRAP:-bwrap}=bubblewrap" prlimit=util-linux
user="${SANDBOX_USER:-molq-sandbox}"
if [ "$(id -u)" -eq 0 ] && ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  echo "ensure-engines: made the sandbox account $user" >&2
fi
