/**
 * The export worker thread's body (offThread.ts starts it): builds the briefing of each job it is
 * sent and renders it in the asked format. Under tsx, render-worker.mjs registers tsx and imports
 * this file; the server's bundle (scripts/build-server.ts) has it as an entry of its own,
 * dist/server/render-worker.mjs, so the worker runs without tsx too.
 */
import { parentPort } from 'node:worker_threads';
import type { BriefingOptions } from '../../lib/export/options';
import { buildBriefing } from './briefing';
import { EXPORT_FORMATS } from './index';
import type { ExportContent } from './types';

interface RenderMessage {
  id: number;
  formatId: string;
  content: ExportContent;
  options: BriefingOptions;
  context: { now: string; author?: string };
}

const port = parentPort!;
// The briefing is built here too: only the content crosses the thread boundary.
port.on('message', async ({ id, formatId, content, options, context }: RenderMessage) => {
  try {
    const format = EXPORT_FORMATS.find((candidate) => candidate.id === formatId);
    if (!format) throw new Error(`unknown export format ${formatId}`);
    const briefing = buildBriefing(content, options, { ...context, now: new Date(context.now) });
    const bytes = await format.render({ content, briefing, options });
    port.postMessage({ id, ok: true, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id, ok: false, error: String((error as Error)?.message ?? error) });
  }
});
port.postMessage({ ready: true });
