/**
 * The `instances` suite of `npm run bench`: runs bench/twoInstances.ts (a script of its own: two
 * collaboration-only processes sharing PostgreSQL and Redis) in a child process and returns the
 * metrics it wrote to bench/results/two-instances.json.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from './loadProcess';
import type { Metric } from './report';

export async function runTwoInstances(
  progress: (line: string) => void,
): Promise<Record<string, Metric>> {
  progress('instances: two collaboration-only servers sharing PostgreSQL and Redis');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/twoInstances.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`bench/twoInstances.ts exited with ${code}`);
  const written = JSON.parse(
    await readFile(path.join(ROOT, 'bench/results/two-instances.json'), 'utf8'),
  ) as { metrics: Record<string, Metric> };
  return written.metrics;
}
