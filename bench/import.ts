/** Parse and apply a 10,000-row CSV import in memory: `npx tsx bench/import.ts` prints the times. */
import * as Y from 'yjs';
import { applyImportPlan, parseImport } from '../lib/import/index';
import { initializeTimeline } from '../lib/timeline/model';

const rows = ['title,start,lane,tags'];
for (let i = 0; i < 10_000; i++) {
  const day = new Date(Date.UTC(2019, 0, 1) + i * 3_600_000).toISOString();
  rows.push(`Row ${i},${day},Lane ${i % 5},bulk; n${i % 7}`);
}
let t = performance.now();
const plan = parseImport('csv', rows.join('\n'));
console.log('parse', Math.round(performance.now() - t), plan.events.length, plan.errors.length);
const doc = new Y.Doc();
initializeTimeline(doc, { title: 'x', lanes: [{ title: 'Events' }] });
t = performance.now();
applyImportPlan(doc, plan);
console.log('apply', Math.round(performance.now() - t));
t = performance.now();
const u = Y.encodeStateAsUpdate(doc);
console.log('encode', Math.round(performance.now() - t), u.length);
