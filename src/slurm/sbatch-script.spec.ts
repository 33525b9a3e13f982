import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeckManifest } from '../rendering/deck';
import { ClusterRefusedError, renderSbatchScript, slurmTime } from './sbatch-script';
import { shellCommand, shellQuote } from './shell-quote';

const HOSTILE = [
  '$(touch /tmp/molq-pwned)',
  '`touch /tmp/molq-pwned`',
  "it's",
  '"double"',
  'a; touch /tmp/molq-pwned',
  'line\nbreak',
  '$HOME',
  '*',
  '-rf',
  ' spaced ',
  '\\',
];

describe('shell quoting (checked by a real bash)', () => {
  afterAll(() => rmSync('/tmp/molq-pwned', { force: true }));

  it('passes every hostile word through bash unchanged, and runs nothing', () => {
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${shellCommand(HOSTILE)}`]).toString();
    expect(out.split('\0').slice(0, -1)).toEqual(HOSTILE);
    expect(existsSync('/tmp/molq-pwned')).toBe(false);
  });

  it('leaves plain words readable and refuses NUL', () => {
    expect(shellQuote('in.lammps')).toBe('in.lammps');
    expect(() => shellQuote('a\0b')).toThrow('NUL');
  });
});

describe('sbatch script', () => {
  const manifest: DeckManifest = {
    jobId: '0d6c6f1e-8a43-4c34-9a1d-7c1f3f4b2a10',
    engine: 'lammps',
    command: { program: 'lmp', args: ['-in', "in.$(touch /tmp/molq-pwned)'x", '-log', 'log.lammps'] },
    inputs: ['in.lammps'],
    resources: { tasks: 2, walltimeMinutes: 90.5, memoryMb: 2000, partition: 'short' },
  };
  const cluster = {
    programs: { lmp: 'lmp', xtb: 'xtb', g16: 'g16' },
    setup: { lmp: ['module load lammps/2023'] },
    account: 'chem-lab',
  };

  it('names the job after the molq job, sets resources, quotes every user value', () => {
    const script = renderSbatchScript(manifest, "/scratch/u/molq/job dir/it's", cluster);
    expect(script).toContain('#SBATCH --job-name=molq-0d6c6f1e-8a43-4c34-9a1d-7c1f3f4b2a10');
    expect(script).toContain('#SBATCH --time=01:30:30');
    expect(script).toContain('#SBATCH --ntasks=2');
    expect(script).toContain('#SBATCH --partition=short');
    expect(script).toContain('#SBATCH --account=chem-lab');
    expect(script).toContain("cd '/scratch/u/molq/job dir/it'\\''s'");
    expect(script).toContain('module load lammps/2023');
  });

  it('runs under bash without executing anything a user wrote', () => {
    const dir = mkdtempSync(join(tmpdir(), 'molq-sbatch-'));
    const fakeBin = join(dir, 'lmp');
    writeFileSync(fakeBin, '#!/bin/bash\nprintf "%s\\n" "$@" > args.txt\n', { mode: 0o755 });
    const script = renderSbatchScript(manifest, dir, {
      ...cluster,
      programs: { ...cluster.programs, lmp: fakeBin },
      setup: {},
    });
    writeFileSync(join(dir, 'job.sh'), script);
    execFileSync('bash', [join(dir, 'job.sh')]);
    expect(
      execFileSync('cat', [join(dir, 'args.txt')])
        .toString()
        .split('\n')
        .slice(0, 4),
    ).toEqual(manifest.command.args);
    expect(existsSync('/tmp/molq-pwned')).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('with CLUSTER_SANDBOX=bwrap runs the engine in bubblewrap: its work dir at /job, no host /etc, a cleared environment, the arguments unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'molq-sbatch-'));
    const fakeBin = join(dir, 'lmp');
    writeFileSync(
      fakeBin,
      '#!/bin/bash\nprintf "%s\\n" "$@" > args.txt\n{ pwd; [ -e /etc/passwd ] && echo passwd-visible; env | sort; } > seen.txt\n',
      { mode: 0o755 },
    );
    const sandbox = { kind: 'bwrap' as const, readOnly: [dir] };
    const script = renderSbatchScript(manifest, dir, {
      ...cluster,
      programs: { ...cluster.programs, lmp: fakeBin },
      setup: {},
      sandbox,
    });
    expect(script).toMatch(
      /^exec bwrap --die-with-parent .* --bind .* \/job .* -- \/usr\/bin\/prlimit .* "\$\{engine:-\}" -in /m,
    );
    writeFileSync(join(dir, 'job.sh'), script);
    execFileSync('bash', [join(dir, 'job.sh')], { env: { PATH: process.env.PATH, MOLQ_SECRET_IN_THE_LAUNCHER: 'x' } });
    expect(
      execFileSync('cat', [join(dir, 'args.txt')])
        .toString()
        .split('\n')
        .slice(0, 4),
    ).toEqual(manifest.command.args);
    const seen = execFileSync('cat', [join(dir, 'seen.txt')]).toString();
    expect(seen.split('\n')[0]).toBe('/job');
    expect(seen).not.toContain('passwd-visible');
    expect(seen).not.toContain('MOLQ_SECRET_IN_THE_LAUNCHER');
    expect(seen).toContain('OMP_NUM_THREADS=2');
    expect(existsSync('/tmp/molq-pwned')).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an uploaded script on a cluster with no sandbox (ClusterRefusedError: never retried); apptainer confines with --containall', () => {
    expect(() =>
      renderSbatchScript({ ...manifest, userScript: true }, '/w', {
        ...cluster,
        sandbox: { kind: 'none', readOnly: [] },
      }),
    ).toThrow(ClusterRefusedError);
    const script = renderSbatchScript({ ...manifest, userScript: true }, '/w', {
      ...cluster,
      sandbox: { kind: 'apptainer', image: '/images/engines.sif', readOnly: [] },
    });
    expect(script).toMatch(
      /^exec apptainer exec --containall --no-home --net --network none --bind \/w:\/job --pwd \/job .* \/images\/engines\.sif \/usr\/bin\/prlimit .* -- lmp -in /m,
    );
  });

  it('refuses a partition or account that is not a plain name', () => {
    expect(() =>
      renderSbatchScript(
        { ...manifest, resources: { ...manifest.resources, partition: 'x\n#SBATCH --uid=0' } },
        '/w',
        cluster,
      ),
    ).toThrow('partition');
    expect(() => renderSbatchScript(manifest, '/w', { ...cluster, account: 'a b' })).toThrow('account');
  });

  it('formats walltimes as Slurm does', () => {
    expect(slurmTime(1)).toBe('00:01:00');
    expect(slurmTime(60 * 24 * 2 + 61)).toBe('2-01:01:00');
  });
});
