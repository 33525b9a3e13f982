import type { Job } from '../jobs/job.entity';
import type { LjMeltSpec, ScriptSpec } from '../jobs/job-spec';
import { TEXT, RenderError, type Deck, type DeckFile, type EngineCommand } from './deck';
import { renderGaussianInput } from './gaussian-input';
import { renderLjMelt } from './lammps-lj-melt';
import { renderXtbXyz, xtbArgs } from './xtb-input';

const text = (name: string, content: string): DeckFile => ({
  name,
  content: Buffer.from(content, 'utf8'),
  contentType: TEXT,
});

/**
 * Title line for engines that want one: the job's name, else its id. Gaussian reads `@file` as an
 * include and `#`/`!` lines as route or comment, so those characters never reach a title.
 */
const titleOf = (job: Job) =>
  (job.name ?? '')
    .replace(/[@#!\p{Cc}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim() || `molq job ${job.id}`;

/**
 * Renders a job's input deck from its stored spec. Pure: the same job gives the same bytes.
 * The deck's job.json names the command (symbolic program + argv) and every input file.
 */
export function renderDeck(job: Job): Deck {
  const { spec } = job;
  let files: DeckFile[];
  let command: EngineCommand;
  let inputs: string[];
  let userScript = false;
  if (job.engine === 'lammps' && spec.md && 'template' in spec.md) {
    files = [text('in.lammps', renderLjMelt(spec.md as LjMeltSpec))];
    command = { program: 'lmp', args: ['-in', 'in.lammps', '-log', 'log.lammps'] };
    inputs = ['in.lammps'];
  } else if (job.engine === 'lammps' && spec.md) {
    const md = spec.md as ScriptSpec;
    files = [];
    command = { program: 'lmp', args: ['-in', md.script, '-log', 'log.lammps'] };
    inputs = md.files.map((f) => f.name);
    userScript = true;
  } else if (job.engine === 'gaussian' && spec.qc) {
    files = [text('input.gjf', renderGaussianInput(spec.qc, spec.resources, titleOf(job)))];
    command = { program: 'g16', args: ['input.gjf'] };
    inputs = ['input.gjf'];
  } else if (job.engine === 'xtb' && spec.qc) {
    files = [text('molecule.xyz', renderXtbXyz(spec.qc, titleOf(job)))];
    command = { program: 'xtb', args: xtbArgs(spec.qc, spec.resources, 'molecule.xyz') };
    inputs = ['molecule.xyz'];
  } else {
    throw new RenderError(`engine ${job.engine}: spec has no ${job.type} section`);
  }
  const manifest = {
    jobId: job.id,
    engine: job.engine,
    command,
    inputs,
    resources: spec.resources,
    ...(userScript ? { userScript } : {}),
  };
  files.push({
    name: 'job.json',
    content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    contentType: 'application/json',
  });
  return { files, manifest };
}
