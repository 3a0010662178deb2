/**
 * Where page B's time goes in the edit → visible benchmark: reads a Chromium trace written by
 * `BENCH_VISIBLE_TRACE=<file> npx tsx bench/editVisible.ts` and prints, for the label changes it
 * holds (each marked `label-changed` by the benchmark's observer), the time from the websocket
 * message reaching B's main thread to the label in the DOM, how much of it the main thread was
 * busy, and which functions the CPU samples of the tasks that changed the label were in.
 *
 *   npx tsx bench/editVisibleTrace.ts /tmp/trace.json [functions to list, default 30]
 *
 * Function names come from production bundles (partly minified); vis-timeline's and Yjs's method
 * names survive, React's do not (its work loop shows as short names in the react-dom chunk).
 */
import { readFile } from 'node:fs/promises';
import { summarize } from './stats';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  id?: string;
  args?: { data?: Record<string, unknown> };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url?: string; lineNumber?: number; columnNumber?: number };
}

export interface TraceSummary {
  changes: number;
  /** WebSocketReceive → label-changed (ms). */
  receiveToLabel: ReturnType<typeof summarize>;
  /** Of that, time inside main-thread tasks (ms). */
  busy: ReturnType<typeof summarize>;
  /** Message → start of the task that changed the label (ms): the wait for it (a frame). */
  toTask: ReturnType<typeof summarize>;
  /** Start of that task → label changed (ms). */
  inTask: ReturnType<typeof summarize>;
  /** Sampled time inside the tasks that changed the label, by function (inclusive, ms). */
  functions: { name: string; ms: number; share: number }[];
  sampledMs: number;
}

export function summarizeTrace(events: TraceEvent[], top = 30): TraceSummary {
  const marks = events.filter((e) => e.name === 'label-changed').sort((a, b) => a.ts - b.ts);
  if (marks.length === 0) throw new Error('no label-changed marks: not an edit → visible trace');
  const { pid, tid } = marks[0]!;
  const main = events.filter((e) => e.pid === pid && e.tid === tid).sort((a, b) => a.ts - b.ts);
  const received = main.filter((e) => e.name === 'WebSocketReceive');
  const tasks = main.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X');
  const end = (e: TraceEvent) => e.ts + (e.dur ?? 0);

  const toLabel: number[] = [];
  const busy: number[] = [];
  const toTask: number[] = [];
  const inTask: number[] = [];
  for (const mark of marks) {
    const from = received.filter((e) => e.ts <= mark.ts).at(-1);
    if (!from) continue;
    toLabel.push((mark.ts - from.ts) / 1000);
    const within = tasks.filter((task) => end(task) >= from.ts && task.ts <= mark.ts);
    const changing = within.at(-1);
    if (changing) {
      toTask.push(Math.max(0, changing.ts - from.ts) / 1000);
      inTask.push((mark.ts - Math.max(changing.ts, from.ts)) / 1000);
    }
    busy.push(
      within.reduce(
        (sum, task) => sum + Math.min(end(task), mark.ts) - Math.max(task.ts, from.ts),
        0,
      ) / 1000,
    );
  }

  // CPU samples of B's renderer (the profiler runs on its own thread: match by process).
  const changing = tasks.filter((task) => marks.some((m) => task.ts <= m.ts && m.ts <= end(task)));
  const nodes = new Map<string, ProfileNode>();
  const samples: { ts: number; node: string; weight: number }[] = [];
  const clocks = new Map<string, number>();
  const profileEvents = events
    .filter((e) => e.pid === pid && (e.name === 'Profile' || e.name === 'ProfileChunk'))
    .sort((a, b) => a.ts - b.ts);
  for (const event of profileEvents) {
    const data = event.args?.data ?? {};
    const profile = event.id ?? '';
    if (event.name === 'Profile') {
      clocks.set(profile, data.startTime as number);
      continue;
    }
    const cpu = (data.cpuProfile ?? {}) as { nodes?: ProfileNode[]; samples?: number[] };
    for (const node of cpu.nodes ?? []) nodes.set(`${profile}:${node.id}`, node);
    let clock = clocks.get(profile) ?? 0;
    const deltas = (data.timeDeltas ?? []) as number[];
    (cpu.samples ?? []).forEach((sample, index) => {
      const delta = deltas[index] ?? 0;
      clock += delta;
      samples.push({ ts: clock, node: `${profile}:${sample}`, weight: delta });
    });
    clocks.set(profile, clock);
  }
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const file = url?.split('/').at(-1);
    return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber}:${columnNumber}` : ''}`;
  };
  const inclusive = new Map<string, number>();
  let sampledUs = 0;
  for (const sample of samples) {
    if (!changing.some((task) => task.ts <= sample.ts && sample.ts <= end(task))) continue;
    sampledUs += sample.weight;
    const seen = new Set<string>();
    let key: string | undefined = sample.node;
    while (key) {
      const node = nodes.get(key);
      if (!node) break;
      const name = label(node);
      if (!seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + sample.weight);
      }
      key = node.parent === undefined ? undefined : `${key.split(':')[0]}:${node.parent}`;
    }
  }
  const functions = [...inclusive.entries()]
    .filter(([name]) => name !== '(root)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({
      name,
      ms: Math.round(us / 10) / 100,
      share: sampledUs > 0 ? Math.round((us / sampledUs) * 100) : 0,
    }));
  return {
    changes: toLabel.length,
    receiveToLabel: summarize(toLabel),
    busy: summarize(busy),
    toTask: summarize(toTask),
    inTask: summarize(inTask),
    functions,
    sampledMs: Math.round(sampledUs / 1000),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx bench/editVisibleTrace.ts <trace.json> [functions]');
    process.exit(2);
  }
  const parsed = JSON.parse(await readFile(file, 'utf8')) as
    | TraceEvent[]
    | { traceEvents: TraceEvent[] };
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const summary = summarizeTrace(events, Number(process.argv[3] ?? 30));
  const line = (s: TraceSummary['busy']) =>
    s ? `p50 ${s.p50} / mean ${s.mean} / max ${s.max} ms` : '–';
  console.log(`${summary.changes} label changes on page B`);
  console.log(`message reached B → label in the DOM: ${line(summary.receiveToLabel)}`);
  console.log(`  of which the main thread was busy:  ${line(summary.busy)}`);
  console.log(`  → start of the task that changed it: ${line(summary.toTask)}`);
  console.log(`  that task → label changed:          ${line(summary.inTask)}`);
  console.log(
    `CPU samples in the tasks that changed the label (${summary.sampledMs} ms), inclusive:`,
  );
  if (summary.sampledMs === 0) console.log('  (no CPU samples in this trace)');
  for (const f of summary.functions) {
    console.log(`${String(f.ms).padStart(8)} ms ${String(f.share).padStart(3)} %  ${f.name}`);
  }
}
