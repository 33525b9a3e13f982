#!/usr/bin/env bash
# A single-node Slurm cluster and an sshd on 127.0.0.1:2222 for the bridge tests (Debian
# packages, no systemd). Idempotent: what already runs is left alone. Writes the test user's
# key and the host key fingerprint to /var/lib/molq-test/ for the tests to read.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "ensure-slurm: must run as root" >&2; exit 1; }
log() { printf 'ensure-slurm: %s\n' "$*" >&2; }
export DEBIAN_FRONTEND=noninteractive
STATE=/var/lib/molq-test
TEST_USER=molqbridge
mkdir -p "$STATE"

# --- packages (package scripts must not start daemons: we start them below) ------------
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sshd >/dev/null || ! command -v sbatch >/dev/null; then
  log "installing munge, slurm and openssh-server from Debian"
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1; fi
  apt-get install -y -qq --no-install-recommends munge slurmctld slurmd slurm-client openssh-server openssh-client >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends munge slurmctld slurmd slurm-client openssh-server openssh-client >/dev/null; }
  [ "$made_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
fi

host=$(hostname -s)
getent hosts "$host" >/dev/null || echo "127.0.1.1 $host" >> /etc/hosts

# --- munge -----------------------------------------------------------------------------
mkdir -p /run/munge && chown munge:munge /run/munge
[ -f /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 0600 /etc/munge/munge.key; }
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "starting munged"
  runuser -u munge -- /usr/sbin/munged
  sleep 0.5
fi

# --- slurm -----------------------------------------------------------------------------
conf=/etc/slurm/slurm.conf
node_line=$(slurmd -C | head -1 | sed -E 's/CPUs=[0-9]+/CPUs=16/; s/Boards=[0-9]+ SocketsPerBoard=[0-9]+ CoresPerSocket=[0-9]+ ThreadsPerCore=[0-9]+ //')
want=$(cat <<CONF
# written by molq scripts/ensure-slurm.sh: a single-node test cluster
ClusterName=molqtest
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
SchedulerParameters=batch_sched_delay=0
MinJobAge=3600
SlurmdParameters=config_overrides
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
$node_line State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
)
mkdir -p /etc/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm
chown -R slurm:slurm /var/lib/slurm /var/log/slurm 2>/dev/null || true
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then
  printf '%s\n' "$want" > "$conf"
  pkill -x slurmctld 2>/dev/null || true
  pkill -x slurmd 2>/dev/null || true
  sleep 1
fi
scontrol ping 2>/dev/null | grep -q UP || { log "starting slurmctld"; /usr/sbin/slurmctld; }
pgrep -x slurmd >/dev/null || { log "starting slurmd"; /usr/sbin/slurmd; }
for _ in $(seq 1 60); do
  state=$(sinfo -h -o %T 2>/dev/null | head -1 || true)
  case "$state" in
    idle|mixed|allocated) break ;;
    down*|drain*) scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
sinfo -h -o %T | grep -Eq 'idle|mixed|allocated' || { log "slurm node is not up: $(sinfo 2>&1)"; exit 1; }

# --- sshd on 127.0.0.1:2222 with a dedicated user and key --------------------------------
id "$TEST_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$TEST_USER"
usermod -p '*' "$TEST_USER"
home=$(getent passwd "$TEST_USER" | cut -d: -f6)
mkdir -p "$home/.ssh"
[ -f "$STATE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/id_ed25519"
cp "$STATE/id_ed25519.pub" "$home/.ssh/authorized_keys"
chown -R "$TEST_USER:$TEST_USER" "$home/.ssh" && chmod 700 "$home/.ssh" && chmod 600 "$home/.ssh/authorized_keys"
[ -f /etc/ssh/ssh_host_ed25519_key ] || ssh-keygen -A
ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub | awk '{print $2}' > "$STATE/host_fingerprint"
mkdir -p /run/sshd
cat > "$STATE/sshd_config" <<SSHD
Port 2222
ListenAddress 127.0.0.1
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile $STATE/sshd.pid
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $TEST_USER
UsePAM no
Subsystem sftp /usr/lib/openssh/sftp-server
SSHD
/usr/sbin/sshd -t -f "$STATE/sshd_config"
if ! (exec 3<>/dev/tcp/127.0.0.1/2222) 2>/dev/null; then
  log "starting sshd on 127.0.0.1:2222"
  /usr/sbin/sshd -f "$STATE/sshd_config" -E /var/log/molq-test-sshd.log
fi
log "slurm ($(sinfo -h -o %T | head -1)) and sshd on 127.0.0.1:2222 are up; key and host fingerprint in $STATE"
