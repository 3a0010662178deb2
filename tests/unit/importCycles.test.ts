import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COMPONENTS = path.join(ROOT, 'components');

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listSources(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Static imports, re-exports, `import type` and dynamic `import()`: a cycle through any is one. */
function readSpecifiers(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1]!);
}

function resolveImport(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
  else return null; // a package
  const candidates = ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => base + ext);
  return [base, ...candidates].find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

function buildGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of listSources(COMPONENTS)) {
    const targets = readSpecifiers(file)
      .map((specifier) => resolveImport(file, specifier))
      .filter((target): target is string => target?.startsWith(COMPONENTS) ?? false);
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, as a list of paths relative to the repository. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (file: string) => {
    const onStack = stack.indexOf(file);
    if (onStack >= 0) {
      cycles.push([...stack.slice(onStack), file].map((f) => path.relative(ROOT, f)));
      return;
    }
    if (done.has(file)) return;
    stack.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    stack.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return cycles;
}

describe('components/ import graph', () => {
  const graph = buildGraph();

  it('sees the modules and their imports', () => {
    assert.ok(graph.size > 20);
    const editor = path.join(COMPONENTS, 'timeline/TimelineEditor.tsx');
    assert.ok((graph.get(editor) ?? []).length > 5);
  });

  it('has no import cycles', () => {
    assert.deepEqual(findCycles(graph), []);
  });

  it('finds a cycle when there is one', () => {
    const cyclic = new Map([
      ['/a', ['/b']],
      ['/b', ['/c']],
      ['/c', ['/a']],
    ]);
    assert.equal(findCycles(cyclic).length, 1);
  });

  it('never imports server code', () => {
    for (const file of graph.keys()) {
      const server = readSpecifiers(file).filter((s) => /^(@\/|(\.\.\/)+)server\//.test(s));
      assert.deepEqual(server, [], path.relative(ROOT, file));
    }
  });
});
