// Renders heavy export formats (PDF, Word, PowerPoint, PNG) off the main thread, so a large
// briefing never stalls live editing in the same process. Plain JavaScript that registers tsx
// itself, so it starts the same under `node --import tsx`, the tsx CLI or plain node on the
// sources (`npm run dev`, tests). The bundled server starts dist/server/render-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./renderWorker.ts');
