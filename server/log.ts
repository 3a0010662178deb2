/** Minimal structured logger: one JSON line per entry on stderr, quiet below LOG_LEVEL. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Creates a logger that writes entries at or above `level` (default: LOG_LEVEL or info). */
export function createLogger(
  level = (process.env.LOG_LEVEL as Level | undefined) ?? 'info',
): Logger {
  const threshold = LEVELS[level] ?? LEVELS.info;
  const write = (entryLevel: Level, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[entryLevel] < threshold) return;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: entryLevel,
      message,
    };
    for (const [key, value] of Object.entries(fields ?? {})) {
      entry[key] =
        value instanceof Error ? value.message : typeof value === 'bigint' ? String(value) : value;
    }
    process.stderr.write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
