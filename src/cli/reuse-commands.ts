import type { INestApplicationContext } from '@nestjs/common';
import { ReuseBlocks } from '../reuse/reuse-blocks.service';
import { need } from './usage';

/** The operator's side of "nothing computed twice": list engine versions, bar one from reuse or allow it again. */
export async function runReuseCommand(
  app: INestApplicationContext,
  command: 'versions' | 'block' | 'allow',
  flags: Record<string, string | undefined>,
  out: (line: string) => void,
): Promise<void> {
  const blocks = app.get(ReuseBlocks);
  if (command !== 'versions') {
    const engine = need(flags.engine, 'engine');
    const version = need(flags.version, 'version');
    await blocks.set(engine, version, command === 'allow', 'cli', flags.reason);
    out(`${engine} "${version}": results ${command === 'allow' ? 'reused again' : 'no longer reused'}`);
  }
  out('engine\tversion\tcompleted jobs\treuse');
  for (const v of await blocks.list())
    out(
      `${v.engine}\t${v.engineVersion}\t${v.completedJobs}\t${v.reuseBlocked ? `blocked${v.reason ? ` (${v.reason})` : ''}` : 'on'}`,
    );
}
