/**
 * Undo stack for everything a benchmark opens (processes, servers, databases, directories), so
 * an error, a timeout or Ctrl-C still leaves no database or temporary directory behind.
 */

interface Entry {
  what: string;
  run: () => Promise<unknown>;
}

export class Cleanup {
  private readonly entries: Entry[] = [];

  /**
   * Registers `run` and returns a function that runs it now (once) and unregisters it, for the
   * normal path; whatever is still registered runs in reverse order in `runAll`.
   */
  add(what: string, run: () => Promise<unknown>): () => Promise<void> {
    const entry: Entry = { what, run };
    this.entries.push(entry);
    return async () => {
      const index = this.entries.indexOf(entry);
      if (index < 0) return;
      this.entries.splice(index, 1);
      await withTimeout(entry.run(), 30_000, what);
    };
  }

  /** Runs every registered step, newest first; a failing step is reported, not fatal. */
  async runAll(): Promise<void> {
    while (this.entries.length > 0) {
      const entry = this.entries.pop()!;
      try {
        await withTimeout(entry.run(), 30_000, entry.what);
      } catch (error) {
        console.error(`cleanup: ${entry.what} failed: ${(error as Error).message ?? error}`);
      }
    }
  }
}

/** Rejects if `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
