import { SANDBOX_WORKDIR } from './sandbox-command';

/** Checks run inside the sandbox at start-up ($1: the host's work root); each exit code names what leaked. */
export const PROBE_SCRIPT = `
echo molq-probe > ${SANDBOX_WORKDIR}/probe.txt || exit 10
[ "$(id -u)" != 0 ] || exit 11
[ ! -e /etc/passwd ] || exit 12
[ -z "$(env | grep -E '^(JWT_SECRET|URL_SIGNING_SECRET|DATABASE_URL|REDIS_URL)=')" ] || exit 13
[ "$(grep -c : /proc/net/dev)" = 1 ] || exit 14
[ "$(ls /proc | grep -cE '^[0-9]+$')" -le 6 ] || exit 15
if touch /usr/.molq-probe 2>/dev/null; then exit 16; fi
[ ! -e "$1" ] || exit 17
if unshare -U true 2>/dev/null; then exit 18; fi
if touch /.molq-probe 2>/dev/null; then exit 19; fi
exit 0
`;

export const PROBE_FAILURES: Record<number, string> = {
  10: 'the work dir is not writable inside the sandbox',
  11: 'the engine would run as root',
  12: "the host's /etc is visible",
  13: "the worker's environment is visible",
  14: 'the network is reachable (no network namespace)',
  15: "the host's processes are visible (no pid namespace)",
  16: '/usr is writable',
  17: 'the host work root is visible',
  18: 'a nested user namespace can be made inside (no --disable-userns or seccomp filter)',
  19: "the sandbox's / is writable",
  125: 'the run could not join its cgroup (SANDBOX_CGROUP=off runs without one)',
};
