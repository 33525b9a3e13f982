/**
 * bench/script-screen: what screening an uploaded LAMMPS script costs, and what it costs the
 * master's event loop (issue 27.3: the old join of `&` lines was quadratic and ran on it).
 *   npm run build && node dist/bench/script-screen.js [--kib 1024]
 * Prints, for scripts of the same size: plain lines (the baseline), `&` continuation lines and an
 * open """ quote, screened in this thread; then the same continuation script through the worker
 * thread the API uses, with the event loop's largest delay meanwhile. Ratios are against the
 * plain script in this same run.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { lammpsScriptProblem } from '../src/submissions/lammps-script-screen';
import { screenInThread } from '../src/submissions/screen-thread';
import { fileInMemory } from '../src/submissions/uploaded-file';

const { values } = parseArgs({ options: { kib: { type: 'string', default: '1000' } } });
const bytes = Number(values.kib) * 1024;
const fill = (line: string) => line.repeat(Math.floor(bytes / line.length));
const scripts: Record<string, string> = {
  'plain lines': fill('units lj\n'),
  '& continuation lines': `print "${fill('x&\n')}"\n`,
  'an open """ quote': `print """${fill('a line\n')}"""\n`,
};

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const timeInThisThread = (script: string) => {
  const t0 = process.hrtime.bigint();
  lammpsScriptProblem('in.lj', [fileInMemory('in.lj', Buffer.from(script))]);
  return ms(t0);
};

async function main(): Promise<void> {
  timeInThisThread(scripts['plain lines']); // warm-up
  const base = Math.min(...[1, 2, 3].map(() => timeInThisThread(scripts['plain lines'])));
  console.log(`script-screen: ${Math.round(bytes / 1024)} KiB scripts, screened in this thread (best of 3)`);
  for (const [name, script] of Object.entries(scripts)) {
    const t = Math.min(...[1, 2, 3].map(() => timeInThisThread(script)));
    console.log(`  ${name.padEnd(22)} ${t.toFixed(1).padStart(8)} ms  ${(t / base).toFixed(2)}× plain`);
  }
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const t0 = process.hrtime.bigint();
  await screenInThread('in.lj', [fileInMemory('in.lj', Buffer.from(scripts['& continuation lines']))]);
  const threaded = ms(t0);
  delay.disable();
  console.log(
    `  through the worker thread: ${threaded.toFixed(1)} ms (${(threaded / base).toFixed(2)}× plain in-thread), event loop's largest delay meanwhile ${(delay.max / 1e6).toFixed(1)} ms`,
  );
}

void main();
