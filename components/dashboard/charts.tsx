'use client';
/**
 * The dashboard's bar charts on @nivo/bar (SVG, also rendered on the server for exports): the
 * histogram of events over time and the breakdowns. Each chart is an `role="img"` SVG with a text
 * alternative; its bars are focusable and Enter or Space acts like a click.
 */
import { type BarDatum, BarItem, type BarItemProps, ResponsiveBar } from '@nivo/bar';
import {
  createContext,
  type KeyboardEvent,
  type MouseEvent,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import type { Breakdown } from '@/lib/dashboard/figures';
import type { BinUnit, HistogramBin } from '@/lib/dashboard/histogram';
import { plural } from '@/lib/format';

/** Axis type in px: 11 on the page; on the wall screen, `wallSize` (readable across a room). */
function themeOf(tickSize: number) {
  return {
    text: { fontSize: Math.round(tickSize * 1.1), fill: '#334155' },
    axis: { ticks: { text: { fontSize: tickSize, fill: '#475569' } } },
    grid: { line: { stroke: '#e2e8f0' } },
  };
}

/**
 * The wall screen's chart type: like its CSS (`--wall-unit` in dashboard.css), it scales with the
 * smaller of the screen's width and height, so 1280×720 and 3840×2160 read the same.
 */
function useWallType(enabled: boolean): number {
  const [size, setSize] = useState(16);
  useEffect(() => {
    if (!enabled) return;
    const update = () => {
      const unit = Math.min(window.innerWidth, window.innerHeight * 1.78) / 100;
      setSize(Math.round(Math.min(34, Math.max(12, unit * 0.85))));
    };
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [enabled]);
  return size;
}

/**
 * The size of an element's box, kept up to date (0×0 until measured); pass the returned setter
 * as the element's `ref`.
 */
function useBoxSize(): [{ width: number; height: number }, (element: HTMLElement | null) => void] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry!.contentRect;
      setSize((current) =>
        current.width === width && current.height === height ? current : { width, height },
      );
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [size, setElement];
}

/** True on a narrow screen (a phone), where the time axis has room for few labels. */
function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const query = window.matchMedia('(max-width: 700px)');
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return narrow;
}

interface Datum extends BarDatum {
  key: string;
  label: string;
  count: number;
}

/** What Enter or Space on a bar does; the charts provide it (nivo renders the bars). */
const ActivateBar = createContext<(index: number) => void>(() => {});

/** A bar that also answers Enter and Space (nivo's bars are focusable but only clickable). */
function KeyboardBar(props: BarItemProps<Datum>) {
  const onActivate = useContext(ActivateBar);
  const handleKey = (event: KeyboardEvent<SVGGElement>) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onActivate(props.bar.data.index);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the focusable element is nivo's bar inside; the group only hears its keys
    <g onKeyDown={handleKey} data-index={props.bar.data.index}>
      <BarItem {...props} />
    </g>
  );
}

function Tip({ label, count }: { label: string; count: number }) {
  return (
    <div className="chart-tip">
      <strong>{label}</strong>: {plural(count, 'event')}
    </div>
  );
}

export function HistogramChart({
  bins,
  unit,
  selected,
  onSelect,
  interactive,
}: {
  bins: HistogramBin[];
  unit: BinUnit;
  /** Index of the chosen bin, or null. */
  selected: number | null;
  onSelect(index: number): void;
  interactive: boolean;
}) {
  const data = useMemo<Datum[]>(
    () => bins.map((bin) => ({ key: bin.start, label: bin.label, count: bin.count })),
    [bins],
  );
  const narrow = useNarrow();
  const wallType = useWallType(!interactive);
  const tick = interactive ? 11 : wallType;
  const [{ width }, box] = useBoxSize();
  // As many labels as fit side by side ("w/c 31 Aug 2026" is about 8.5 em), at most 8 (3 on a phone).
  const fitting = width > 0 ? Math.max(2, Math.floor(width / (tick * 8.5))) : 6;
  const most = Math.min(fitting, narrow ? 3 : 8);
  const every = Math.max(1, Math.ceil(bins.length / most));
  const total = bins.reduce((sum, bin) => sum + bin.count, 0);
  const busiest = bins.reduce<HistogramBin | null>(
    (best, bin) => (!best || bin.count > best.count ? bin : best),
    null,
  );
  const alt =
    bins.length === 0
      ? 'No events to chart yet.'
      : `Histogram of ${plural(total, 'event')} by ${unit}, ${bins[0]!.label} to ${bins.at(-1)!.label}; busiest ${busiest!.label} with ${plural(busiest!.count, 'event')}.`;
  return (
    <ActivateBar.Provider value={onSelect}>
      <div className="chart histogram-chart" data-testid="histogram" data-unit={unit} ref={box}>
        <ResponsiveBar<Datum>
          data={data}
          keys={['count']}
          indexBy="label"
          margin={{
            // On the wall, room for the top tick's label and for half of the last label, which
            // is centred on its bar.
            top: interactive ? 8 : Math.round(tick * 0.8),
            right: interactive ? 8 : Math.round(tick * 4.5),
            bottom: interactive ? 44 : Math.round(tick * 3.5),
            left: interactive ? 36 : Math.round(tick * 3.2),
          }}
          padding={0.15}
          theme={themeOf(tick)}
          colors={(d) =>
            selected === null ? '#3b82f6' : d.index === selected ? '#1d4ed8' : '#bfdbfe'
          }
          enableLabel={false}
          enableGridY
          animate={false}
          axisLeft={{ tickValues: countTicks(bins) }}
          gridYValues={countTicks(bins)}
          axisBottom={{
            tickSize: 4,
            tickValues: data.filter((_, i) => i % every === 0).map((d) => d.label),
          }}
          role="img"
          ariaLabel={alt}
          isInteractive={interactive}
          isFocusable={interactive}
          barAriaLabel={(d) => `${d.indexValue}: ${plural(Number(d.value), 'event')}`}
          barComponent={KeyboardBar}
          onClick={(d, _event: MouseEvent<SVGRectElement>) => onSelect(d.index)}
          tooltip={(d) => <Tip label={String(d.indexValue)} count={Number(d.value)} />}
        />
      </div>
    </ActivateBar.Provider>
  );
}

export function BreakdownChart({
  title,
  rows,
  testId,
  onSelect,
  interactive,
}: {
  title: string;
  rows: Breakdown[];
  testId: string;
  onSelect(row: Breakdown): void;
  interactive: boolean;
}) {
  const data = useMemo<Datum[]>(
    // nivo draws horizontal bars bottom-up; reversed, the first row is on top.
    () => [...rows].reverse().map((row) => ({ label: row.label, count: row.count, key: row.key })),
    [rows],
  );
  // Bars are keyed by id: two lanes may share a title.
  const labels = new Map(rows.map((row) => [row.key, row.label]));
  const byIndex = (index: number) => rows[rows.length - 1 - index]!;
  const alt = `${title}: ${rows.map((row) => `${row.label} ${row.count}`).join(', ')}.`;
  const wallType = useWallType(!interactive);
  const [{ height }, box] = useBoxSize();
  // On the wall the chart gets its card's height: the type shrinks if the rows need it.
  const rowHeight = height > 0 ? (height - 2 * wallType - 8) / rows.length : wallType;
  const tick = interactive ? 11 : Math.max(10, Math.min(wallType, Math.floor(rowHeight * 0.85)));
  if (rows.every((row) => row.count === 0)) {
    return <p className="empty">Nothing to count yet.</p>;
  }
  return (
    <ActivateBar.Provider value={(index) => onSelect(byIndex(index))}>
      <div
        className="chart breakdown-chart"
        data-testid={testId}
        ref={box}
        style={{ height: Math.max(90, rows.length * (interactive ? 30 : 40) + 36) }}
      >
        <ResponsiveBar<Datum>
          data={data}
          keys={['count']}
          indexBy="key"
          layout="horizontal"
          margin={{
            top: 4,
            right: interactive ? 36 : Math.round(tick * 3),
            bottom: interactive ? 28 : Math.round(tick * 2.4),
            left: interactive ? 130 : Math.round(tick * 10.5),
          }}
          padding={0.25}
          theme={themeOf(tick)}
          colors={(d) => byIndex(d.index).color}
          enableGridX
          enableGridY={false}
          label={(d) => String(d.value)}
          labelPosition="end"
          labelOffset={6}
          labelTextColor="#1f2933"
          animate={false}
          axisBottom={{ tickValues: 4, format: (v) => (Number.isInteger(v) ? String(v) : '') }}
          axisLeft={{
            tickSize: 0,
            tickPadding: 8,
            format: (v) => shorten(labels.get(String(v)) ?? '', 18),
          }}
          role="img"
          ariaLabel={alt}
          isInteractive={interactive}
          isFocusable={interactive}
          barAriaLabel={(d) => `${d.data.label}: ${plural(Number(d.value), 'event')}`}
          barComponent={KeyboardBar}
          onClick={(d) => onSelect(byIndex(d.index))}
          tooltip={(d) => <Tip label={d.data.label} count={Number(d.value)} />}
        />
      </div>
    </ActivateBar.Provider>
  );
}

/** Whole-number ticks for a count axis, at most five. */
function countTicks(bins: HistogramBin[]): number[] {
  const max = Math.max(1, ...bins.map((bin) => bin.count));
  const step = Math.ceil(max / 4);
  const ticks: number[] = [];
  for (let value = 0; value <= max; value += step) ticks.push(value);
  return ticks;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
