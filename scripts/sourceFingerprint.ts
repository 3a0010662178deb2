/**
 * A fingerprint of source files: a SHA-256 over every file's path and bytes, files and folders
 * taken in a fixed order. The builds (`ensure-build.ts` for Next, `build-server.ts` for the
 * server's bundle) store it beside their output and rebuild only when it changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function listFiles(root: string, entry: string): string[] {
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [entry];
  return readdirSync(full)
    .sort()
    .flatMap((name) => listFiles(root, path.join(entry, name)));
}

/** The fingerprint of `inputs` (files or folders, relative to `root`; missing ones count as none). */
export function sourceFingerprint(root: string, inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((entry) => listFiles(root, entry))) {
    hash.update(file);
    hash.update(readFileSync(path.join(root, file)));
  }
  return hash.digest('hex');
}
