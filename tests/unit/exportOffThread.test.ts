/**
 * Heavy formats render in the export worker thread (server/export/offThread.ts): the worker
 * builds the same briefing and gives the same bytes as rendering in the main thread, and a
 * failure comes back as an error without breaking the next export.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { renderOffThread, stopExportWorker } from '../../server/export/offThread';
import { renderTimelinePng } from '../../server/export/picture';
import { makeContent, makeInput, NOW } from './helpers/briefingFixture';

describe('export worker thread', () => {
  after(stopExportWorker);

  it('renders the same PNG as the main thread', async () => {
    const input = makeInput({ handling: 'SECRET' });
    const job = {
      content: makeContent(),
      options: input.options,
      context: { now: NOW, author: 'Ana Analyst' },
    };
    const offThread = await renderOffThread('png', job);
    assert.deepEqual(Buffer.from(offThread), Buffer.from(renderTimelinePng(input.briefing, 1)));
  });

  it('reports a failure and keeps working', async () => {
    const job = {
      content: makeContent(),
      options: { comments: false, scale: 1 as const },
      context: { now: NOW },
    };
    await assert.rejects(renderOffThread('nope', job), /unknown export format nope/);
    const pdf = await renderOffThread('pdf', job);
    assert.equal(new TextDecoder().decode(pdf.slice(0, 5)), '%PDF-');
  });
});
