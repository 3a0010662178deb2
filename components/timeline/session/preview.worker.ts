/// <reference lib="webworker" />
/**
 * The first view of a big document, read off the page's thread (`preview.ts`): applies the
 * server's whole answer (after what the page had already) to a Y.Doc of its own — for at most `budgetMs`, the rest is left out —
 * reads the timeline as plain data, posts it, and is done. The page's own document, the one
 * edited, is applied meanwhile on the page's thread, in slices.
 */
import * as Y from 'yjs';
import { readMeta } from '@/lib/timeline/doc';
import { readAllEvents } from '@/lib/timeline/eventReader';
import { readLanes } from '@/lib/timeline/lane';
import { streamSlices } from '@/lib/timeline/updateSlices';
import type { PreviewRequest, PreviewResult } from './preview';

/** Size of one slice (bytes): the budget is checked between two. */
const SLICE_BYTES = 256 * 1024;

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (message: MessageEvent<PreviewRequest>) => {
  const { updates, budgetMs } = message.data;
  const started = performance.now();
  const doc = new Y.Doc();
  apply: for (const update of updates) {
    for (const slice of streamSlices(update, SLICE_BYTES)) {
      Y.applyUpdate(doc, slice);
      if (performance.now() - started > budgetMs) {
        break apply;
      }
    }
  }
  const result: PreviewResult = {
    snapshot: { meta: readMeta(doc), lanes: readLanes(doc), events: readAllEvents(doc) },
  };
  doc.destroy();
  scope.postMessage(result);
};
