import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import {
  beginSlicedApply,
  offerPreview,
  onPreview,
  previewOf,
} from '../../components/timeline/session/slicedApply';
import type { TimelineSnapshot } from '../../lib/timeline/model';

const preview = (title: string): TimelineSnapshot => ({
  meta: { title } as TimelineSnapshot['meta'],
  lanes: [],
  events: [],
});

describe('a preview of a document arriving (preview worker)', () => {
  it('offered before the page applies the document, it is kept for that application', () => {
    const doc = new Y.Doc();
    let told = 0;
    const stop = onPreview(doc, () => told++);
    const early = preview('read by the worker first');
    offerPreview(doc, early);
    assert.equal(told, 1);
    // Nothing is being applied yet: nothing to show it for.
    assert.equal(previewOf(doc), null);
    const applying = beginSlicedApply(doc, 1000);
    assert.equal(previewOf(doc), early);
    applying.end();
    // The document is whole: the preview is gone, also for a later big change.
    assert.equal(previewOf(doc), null);
    const later = beginSlicedApply(doc, 1000);
    assert.equal(previewOf(doc), null);
    later.end();
    stop();
    offerPreview(doc, preview('after stop'));
    assert.equal(told, 1);
  });

  it('offered while the document is applied, it is the latest until the last application ends', () => {
    const doc = new Y.Doc();
    const first = beginSlicedApply(doc, 1000);
    const second = beginSlicedApply(doc, 1000);
    const a = preview('a');
    const b = preview('b');
    offerPreview(doc, a);
    offerPreview(doc, b);
    assert.equal(previewOf(doc), b);
    first.end();
    assert.equal(previewOf(doc), b);
    second.end();
    assert.equal(previewOf(doc), null);
  });
});
