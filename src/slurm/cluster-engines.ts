import { ENGINE_PROGRAM, engineVersionOf, VERSION_ARGS, type EngineOffer } from '../engines/engine-offers';
import type { Engine } from '../jobs/job-status';
import { shellWords } from '../sandbox/sandbox-command';
import { confinedCommand, type ClusterSettings } from './sbatch-script';
import { shellQuote } from './shell-quote';
import type { SshConnection } from './ssh-connection';

const PROBE_TIMEOUT_MS = 60_000;

/**
 * What a cluster can run, asked on its login node: for each engine, its module lines (the admin's
 * configuration, as the batch script runs them), then its command is looked up and its version
 * command run (inside the image with CLUSTER_SANDBOX=apptainer, where the engines live). An engine
 * not found is not offered; one found that prints no version (g16) is offered with an unknown version.
 */
export async function clusterEngines(
  ssh: SshConnection,
  cluster: ClusterSettings & { workRoot: string },
): Promise<EngineOffer[]> {
  const offers: EngineOffer[] = [];
  for (const engine of Object.keys(ENGINE_PROGRAM) as Engine[]) {
    const res = await ssh.exec(probeCommand(engine, cluster), PROBE_TIMEOUT_MS).catch(() => null);
    if (res?.code === 0) offers.push({ engine, version: engineVersionOf(engine, res.stdout) });
  }
  return offers;
}

function probeCommand(engine: Engine, cluster: ClusterSettings & { workRoot: string }): string {
  const program = ENGINE_PROGRAM[engine];
  const command = cluster.programs[program];
  const args = VERSION_ARGS[engine];
  const setup = (cluster.setup[program] ?? []).map((line) => `${line} >/dev/null 2>&1;`).join(' ');
  if (cluster.sandbox?.kind === 'apptainer') {
    const dir = `${cluster.workRoot}/.engines-${Date.now().toString(36)}`;
    const run = confinedCommand(cluster.sandbox, dir, [args ? command : 'which', ...(args ?? [command])], {});
    const script = `mkdir -p ${shellQuote(dir)} && cd ${shellQuote(dir)} && { ${setup} ${shellWords(run)} 2>&1; }; status=$?; cd / && rm -rf ${shellQuote(dir)}; exit $status`;
    return `bash -lc ${shellQuote(script)}`;
  }
  const found = `command -v ${shellQuote(command)} >/dev/null 2>&1 || exit 127;`;
  const version = args ? ` exec ${shellQuote(command)} ${args.join(' ')} 2>&1` : ' exit 0';
  return `bash -lc ${shellQuote(`${setup} ${found}${version}`)}`;
}
