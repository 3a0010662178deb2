/** Plain-text tables of the durability results (stdout), compact enough to paste in an issue. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BigTimelineResult } from './bigTimeline';
import type {
  BackendResult,
  DurabilityConfig,
  ReferenceResult,
  ScenarioResult,
} from './durability';
import { FLOOD_DESCRIPTIONS, type FloodsResult } from './floods';
import type { Summary } from './stats';

type Cell = string | number | null | undefined;

const HEADER = [
  'back end',
  'measurement',
  'n',
  'p50',
  'p95',
  'p99',
  'max',
  'rows',
  'upd/row',
  'p95/floor',
  'target',
];
/** Columns after the second are numbers: right-aligned. */
const LEFT_COLUMNS = 2;

export function formatReport(
  config: DurabilityConfig,
  results: BackendResult[],
  notes: string[] = [],
): string {
  const lines: string[] = [];
  lines.push('Durability latency: update reaches the server → its log row is committed (ms)');
  lines.push(
    `${config.rate} edits/s in total for ${config.seconds} s per scenario ` +
      `(after ${config.warmupSeconds} s warm-up); target p95 ≤ ${config.targetP95Ms} ms`,
  );
  lines.push(
    'floor = single-row INSERT commits of a row-sized payload on the same database, ' +
      `${config.referenceSamples} before + ${config.referenceSamples} after the scenarios`,
  );
  lines.push(...notes);
  lines.push('');

  const rows: Cell[][] = [];
  for (const result of results) {
    const { driver, prisma } = result.reference;
    rows.push(summaryRow(result.backend, `floor: ${driver.label}`, driver.all));
    rows.push(summaryRow(result.backend, `floor: ${prisma.label}`, prisma.all));
    for (const scenario of result.scenarios) {
      const k = `K=${scenario.clients}`.padEnd(5);
      rows.push([
        ...summaryRow(result.backend, `${k} arrival → commit`, scenario.latency),
        scenario.rows,
        scenario.updatesPerRow.toFixed(2),
        scenario.ratioToFloor === null ? '–' : `${scenario.ratioToFloor}×`,
        scenario.pass === null ? '–' : scenario.pass ? 'PASS' : 'FAIL',
      ]);
      rows.push(summaryRow('', `${k} appendUpdate txn`, scenario.append));
      if (scenario.client.ack) {
        rows.push(summaryRow('', `${k} client edit → ack`, scenario.client.ack));
      }
    }
  }
  lines.push(...table(HEADER, rows));
  lines.push('');
  lines.push(
    'appendUpdate txn: the store call alone (Prisma transaction);',
    'client edit → ack: the round trip a client sees (edit, send, apply, batch, commit, ack back).',
  );
  lines.push('');

  for (const result of results) {
    const settings = Object.entries(result.settings)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    lines.push(
      `${result.backend} (${result.where}): ${settings}; payload ${result.payloadBytes} B`,
    );
    const { driver, prisma } = result.reference;
    lines.push(
      `  floor p50 before/after: ${driver.label} ${beforeAfter(driver)} ms, ` +
        `${prisma.label} ${beforeAfter(prisma)} ms`,
    );
    for (const scenario of result.scenarios) lines.push(`  ${checkLine(scenario)}`);
  }
  lines.push('');

  const scenarios = results.flatMap((result) =>
    result.scenarios.map((scenario) => ({ backend: result.backend, scenario })),
  );
  const failed = scenarios.filter(({ scenario }) => scenario.pass === false);
  const broken = scenarios.filter(({ scenario }) => !scenario.checks.ok);
  lines.push(
    failed.length === 0
      ? `RESULT: PASS — p95 ≤ ${config.targetP95Ms} ms in all ${scenarios.length} scenarios`
      : `RESULT: FAIL — p95 > ${config.targetP95Ms} ms in ${failed
          .map(({ backend, scenario }) => `${backend} K=${scenario.clients}`)
          .join(', ')}`,
  );
  const saturated = scenarios.filter(({ scenario }) => scenario.saturated);
  if (saturated.length > 0) {
    lines.push(
      `NOTE: the machine was short of CPU during ${saturated
        .map(({ backend, scenario }) => `${backend} K=${scenario.clients}`)
        .join(', ')}; their tails reflect that — rerun on a quiet machine before trusting them`,
    );
  }
  if (broken.length > 0) {
    lines.push(
      `WARNING: consistency checks failed in ${broken
        .map(({ backend, scenario }) => `${backend} K=${scenario.clients}`)
        .join(', ')} (see above)`,
    );
  }
  return lines.join('\n');
}

function checkLine(scenario: ScenarioResult): string {
  const { checks, client } = scenario;
  const parts = [
    `K=${scenario.clients}: ${checks.ok ? 'ok' : 'CHECK FAILED'}`,
    `committed ${checks.committed}/${checks.sent} updates`,
    `stored events ${checks.storedEvents}/${checks.createdEvents}`,
    `${scenario.bytesPerRow} B/row`,
    `edits ${Object.entries(client.byKind)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}`,
    `rate ${Math.round((client.sent / client.streamMs) * 1000)}/s`,
    `generator lag p95 ${fmt(client.lag?.p95)} max ${fmt(client.lag?.max)} ms`,
    compactionText(scenario.compactions),
  ];
  if (scenario.saturated) parts.push('SATURATED: the load generator ran late (machine busy)');
  if (client.disconnects > 0) parts.push(`DISCONNECTS ${client.disconnects}`);
  if (client.acksMissing > 0) parts.push(`MISSING ACKS ${client.acksMissing}`);
  if (checks.persistenceDegraded) parts.push('PERSISTENCE DEGRADED');
  return parts.join('; ');
}

function compactionText({ duringStream, longestMs, atUnloadMs }: ScenarioResult['compactions']) {
  const during =
    duringStream > 0
      ? `${duringStream} compaction(s) while streaming, longest ${fmt(longestMs ?? undefined)} ms`
      : 'no compaction while streaming';
  return `${during}, ${fmt(atUnloadMs ?? undefined)} ms at unload`;
}

function beforeAfter(reference: ReferenceResult): string {
  return `${fmt(reference.before?.p50)}/${fmt(reference.after?.p50)}`;
}

function summaryRow(backend: string, label: string, summary: Summary | null): Cell[] {
  return [
    backend,
    label,
    summary?.n,
    fmt(summary?.p50),
    fmt(summary?.p95),
    fmt(summary?.p99),
    fmt(summary?.max),
  ];
}

function fmt(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2);
}

const FLOOD_HEADER = [
  'phase',
  'what',
  'peak +MiB',
  'kept +MiB',
  'over idle',
  'limit',
  'edit p50',
  'p95',
  'max',
  'lost',
  'verdict',
];

/**
 * The flood benchmark as a table: per phase, the server's RSS growth (peak during the phase, and
 * what is still held after 2 s and a GC) next to the idle phase, the limit the issue sets (printed,
 * not asserted), and the analysts' edit latency (ms) meanwhile.
 */
export function formatFloodReport(result: FloodsResult, notes: string[] = []): string {
  const { config, baseline } = result;
  const lines: string[] = [];
  lines.push('Floods: server memory growth and analyst edit latency (edit → seen by the other)');
  lines.push(
    `${config.seconds} s per phase; one edit every ${config.editIntervalMs} ms; ` +
      `${config.seedEvents} events in the timeline; baseline RSS ${mib(baseline.rss)} MiB, ` +
      `heap ${mib(baseline.heapUsed)} MiB`,
  );
  lines.push(...notes);
  lines.push('');
  const rows: Cell[][] = result.phases.map((phase) => {
    const overIdle = phase.phase === 'idle' ? undefined : result.growthOverIdleMiB[phase.phase];
    const verdict =
      phase.phase === 'idle'
        ? ''
        : !phase.serverAlive
          ? 'SERVER DIED'
          : overIdle !== undefined && overIdle > config.thresholdMiB
            ? 'OVER'
            : 'within';
    return [
      phase.phase,
      FLOOD_DESCRIPTIONS[phase.phase],
      phase.peakGrowthMiB.toFixed(1),
      phase.retainedGrowthMiB.toFixed(1),
      overIdle === undefined ? '–' : overIdle.toFixed(1),
      phase.phase === 'idle' ? '' : `≤ ${config.thresholdMiB}`,
      fmt(phase.latency?.p50),
      fmt(phase.latency?.p95),
      fmt(phase.latency?.max),
      `${phase.editsLost}/${phase.editsSent}`,
      verdict,
    ];
  });
  lines.push(...table(FLOOD_HEADER, rows));
  lines.push('');
  for (const phase of result.phases) {
    if (!phase.attack) continue;
    const { attack } = phase;
    const endings = Object.entries(attack.endings)
      .map(([how, count]) => `${count}× ${how}`)
      .join(', ');
    lines.push(
      `${phase.phase}: ${attack.sockets} sockets sent ${attack.messagesSent} messages ` +
        `(${mib(attack.bytesSent)} MiB) in ${attack.seconds} s; ended: ${endings || '–'}; ` +
        `heap after ${mib(phase.after.heapUsed)} MiB, buffers ${mib(phase.after.arrayBuffers)} MiB` +
        (Object.keys(phase.analystCloses).length > 0
          ? `; analysts' connections closed: ${Object.entries(phase.analystCloses)
              .map(([code, count]) => `${count}× ${code}`)
              .join(', ')}`
          : '') +
        (phase.analystsConnected ? '' : '; ANALYSTS DISCONNECTED at the end'),
    );
  }
  lines.push('');
  lines.push(
    'peak: highest RSS during the phase minus RSS before it; kept: after 2 s and a GC; ' +
      "over idle: peak minus the idle phase's peak; lost: edits not seen 5 s after the phase.",
  );
  return lines.join('\n');
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function table(header: string[], rows: Cell[][]): string[] {
  const text = [header, ...rows].map((row) =>
    header.map((_, index) =>
      row[index] === null || row[index] === undefined ? '' : String(row[index]),
    ),
  );
  const widths = header.map((_, index) => Math.max(...text.map((row) => row[index]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, index) =>
        index < LEFT_COLUMNS ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!),
      )
      .join('  ')
      .trimEnd();
  return [
    line(text[0]!),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...text.slice(1).map(line),
  ];
}

/**
 * The browser figures: time to interactive at each size and the pan/zoom frame at the largest,
 * next to the bare vis-timeline page given the same items.
 */
export function formatBigTimelineReport(result: BigTimelineResult, notes: string[] = []): string {
  const lines: string[] = [];
  lines.push('Big timelines in Chromium: Chronoboard vs a bare vis-timeline page, same items');
  lines.push(
    'interactive = navigation start → items drawn and a click on the axis handled ' +
      `(cap ${result.config.openCapMs / 1000} s; "≥" = not interactive by then); whole document = ` +
      'live, every event read and editable; pan/zoom frames taken after that',
  );
  lines.push(...notes);
  lines.push('');
  const capped = (ms: number, isCapped: boolean) => `${isCapped ? '≥ ' : ''}${fmt(ms)}`;
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');
  const rows: Cell[][] = result.open.flatMap((figure) => [
    [
      `open ${figure.events}`,
      'ms to interactive',
      capped(figure.chronoboardMs, figure.chronoboardCapped),
      capped(figure.referenceMs, figure.referenceCapped),
      ratio(figure.chronoboardMs, figure.referenceMs),
      `${figure.chronoboardDomItems} / ${figure.referenceDomItems}`,
      `${figure.chronoboardLongTasks.count}, ${figure.chronoboardLongTasks.longestMs}, ${figure.chronoboardLongTasks.totalMs}`,
      `${figure.referenceLongTasks.count}, ${figure.referenceLongTasks.longestMs}, ${figure.referenceLongTasks.totalMs}`,
    ],
    [
      '',
      'ms to the whole document',
      figure.chronoboardCompleteMs === null ? '–' : fmt(figure.chronoboardCompleteMs),
      capped(figure.referenceMs, figure.referenceCapped),
      figure.chronoboardCompleteMs === null
        ? '–'
        : ratio(figure.chronoboardCompleteMs, figure.referenceMs),
      '',
      '',
      '',
    ],
  ]);
  const panZoom = result.panZoom;
  if (panZoom) {
    const cb = panZoom.chronoboard;
    const ref = panZoom.reference;
    rows.push([
      `pan/zoom ${panZoom.events}`,
      'frame ms p50 / p95 / max',
      cb ? `${fmt(cb.p50)} / ${fmt(cb.p95)} / ${fmt(cb.max)}` : '–',
      ref ? `${fmt(ref.p50)} / ${fmt(ref.p95)} / ${fmt(ref.max)}` : '–',
      cb && ref ? ratio(cb.p95, ref.p95) : '–',
      `${cb?.frames ?? 0} / ${ref?.frames ?? 0} frames`,
      '',
      '',
    ]);
  }
  const header = [
    'scenario',
    'measure',
    'chronoboard',
    'bare vis',
    'ratio',
    'DOM items (cb / vis)',
    'long tasks cb (n, max, total ms)',
    'long tasks vis',
  ];
  lines.push(...table(header, rows));
  return lines.join('\n');
}

export type Metric = {
  value: number;
  unit: string;
  reference?: number;
  ratio?: number;
  note?: string;
};

/**
 * A figure next to its reference from the same run, with their ratio when both were measured
 * (a figure that could not be measured is NaN, written as null).
 */
export function compared(value: number, unit: string, reference?: number, note?: string): Metric {
  const measured = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);
  return {
    value,
    unit,
    ...(reference === undefined ? {} : { reference }),
    ...(measured(value) && measured(reference) && reference > 0
      ? { ratio: Math.round((value / reference) * 100) / 100 }
      : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * Writes `bench/results/latest.json` in the issue's shape, `{ machine, metrics }`, keeping the
 * metrics other suites wrote there and replacing those of this run.
 */
export async function writeLatest(
  file: string,
  machine: Record<string, unknown>,
  metrics: Record<string, Metric>,
): Promise<void> {
  let previous: { metrics?: Record<string, Metric> } = {};
  try {
    previous = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // none yet, or unreadable: start afresh
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(
    file,
    `${JSON.stringify({ machine, metrics: { ...previous.metrics, ...metrics } }, null, 2)}\n`,
  );
}
