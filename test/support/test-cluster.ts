import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/** What scripts/ensure-slurm.sh set up: a real Slurm and a real sshd on 127.0.0.1:2222 with the molqbridge user's key. */
export const CLUSTER_STATE = '/var/lib/molq-test';

/** The cluster variables (SSH_*, REMOTE_WORK_DIR) a bridge or an EXECUTOR=slurm pool needs, with a fresh remote work directory. */
export function clusterEnv(port = 2222): Record<string, string> {
  return {
    SSH_HOST: '127.0.0.1',
    SSH_PORT: String(port),
    SSH_USER: 'molqbridge',
    SSH_KEY_FILE: `${CLUSTER_STATE}/id_ed25519`,
    SSH_HOST_FINGERPRINT: readFileSync(`${CLUSTER_STATE}/host_fingerprint`, 'utf8').trim(),
    REMOTE_WORK_DIR: `/home/molqbridge/molq-work-${randomUUID().slice(0, 8)}`,
  };
}

/**
 * An sshd of the test's own on `port` (same host key and user as the shared one), so a test can
 * stop and start it without disturbing the others. stop() also kills its live sessions: a
 * connection dropped mid-use is what an sshd restart or a network cut looks like to a client.
 */
export function ownSshd(port: number) {
  const config = `${CLUSTER_STATE}/sshd_config_${port}`;
  const pidFile = `${CLUSTER_STATE}/sshd-${port}.pid`;
  writeFileSync(
    config,
    readFileSync(`${CLUSTER_STATE}/sshd_config`, 'utf8')
      .replace('Port 2222', `Port ${port}`)
      .replace(/PidFile .*/, `PidFile ${pidFile}`),
  );
  const quiet = (file: string, args: string[]) => {
    try {
      return execFileSync(file, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    } catch {
      return '';
    }
  };
  return {
    start: () => execFileSync('/usr/sbin/sshd', ['-f', config, '-E', `/var/log/molq-test-sshd-${port}.log`]),
    stop: () => {
      const pid = quiet('cat', [pidFile]).trim();
      if (!/^\d+$/.test(pid)) return;
      // a pid file left by an earlier run may name a process that has reused the number: only ever kill our sshd
      if (!quiet('cat', [`/proc/${pid}/cmdline`]).includes(config)) return;
      const sessions = quiet('pgrep', ['-P', pid]).split('\n').filter(Boolean);
      const grandchildren = sessions.flatMap((s) => quiet('pgrep', ['-P', s]).split('\n').filter(Boolean));
      quiet('kill', [pid, ...sessions, ...grandchildren]);
    },
  };
}
