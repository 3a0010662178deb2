// Renders heavy export formats (PDF, Word, PowerPoint, PNG) off the main thread, so a large
// briefing never stalls live editing in the same process. Plain JavaScript that registers tsx
// itself, so it starts the same under `node --import tsx`, the tsx CLI or plain node.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { EXPORT_FORMATS } = await import('./index.ts');
const { buildBriefing } = await import('./briefing.ts');

// The briefing is built here too: only the content crosses the thread boundary.
parentPort.on('message', async ({ id, formatId, content, options, context }) => {
  try {
    const format = EXPORT_FORMATS.find((candidate) => candidate.id === formatId);
    if (!format) throw new Error(`unknown export format ${formatId}`);
    const briefing = buildBriefing(content, options, { ...context, now: new Date(context.now) });
    const bytes = await format.render({ content, briefing, options });
    parentPort.postMessage({ id, ok: true, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error?.message ?? error) });
  }
});
parentPort.postMessage({ ready: true });
