/**
 * The PDF briefing read back with pdf.js (pdfjs-dist): every event title, every source and the
 * legends are in the text, pages are numbered, the handling line is on every page; and no source
 * URL makes the server fetch anything.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { buildBriefing } from '../../server/export/briefing';
import { pdfFormat } from '../../server/export/pdf';
import { makeContent, makeInput, NOW } from './helpers/briefingFixture';

/** The text of each page. */
async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages: string[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const content = await (await pdf.getPage(number)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? `${item.str}${item.hasEOL ? ' ' : ''}` : ''))
        .join(''),
    );
  }
  await pdf.destroy();
  return pages;
}

describe('PDF briefing', () => {
  it('holds the title page, the chronology, every source with its grade and the legends', async () => {
    const input = makeInput({ handling: 'FOR OFFICIAL USE ONLY', summary: 'The grid is fragile.' });
    const pages = await pageTexts(await pdfFormat.render(input));
    const all = pages.join('\n').replace(/\s+/g, ' ');
    assert.ok(pages.length >= 5, `title, picture, chronology, sources, legends (${pages.length})`);
    for (const [index, page] of pages.entries()) {
      assert.equal(
        page.split('FOR OFFICIAL USE ONLY').length - 1,
        2,
        `handling line twice on page ${index + 1}`,
      );
      assert.match(page, new RegExp(`Page ${index + 1} of ${pages.length}`));
    }
    assert.match(pages[0]!, /Grid failures 2019/);
    assert.match(pages[0]!, /The grid is fragile\./);
    assert.match(pages[0]!, /Ana Analyst/);
    for (const event of input.briefing.events) assert.ok(all.includes(event.title), event.title);
    for (const text of [
      '18 Feb 2019',
      'Feb 2019 – Apr 2019',
      'start between 1998 and 1999',
      '2 independent publishers',
      'Single source',
      'Unsourced',
      'Moderate',
      'Not assessed',
      '[1] Grid operator statement, Operator News',
      'B2 — usually reliable, probably true',
      '“The grid failed at 16:50.”',
      '[4] Anonymous tip',
      'Completely reliable',
      'Truth cannot be judged',
    ]) {
      assert.ok(all.includes(text), `${text} is in the PDF`);
    }
  });

  it('never fetches a source URL, and refuses any URL or file as a resource', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/image.png`;
    try {
      const content = makeContent();
      const sources = content.events[0]!.sources as unknown as { url?: string }[];
      sources[0]!.url = url;
      const briefing = buildBriefing(content, { comments: false, scale: 1 }, { now: NOW });
      const pages = await pageTexts(
        await pdfFormat.render({ content, briefing, options: { comments: false, scale: 1 } }),
      );
      assert.ok(pages.join(' ').includes(url), 'the link is printed');
      assert.equal(requests, 0);

      // The policies themselves: pdfmake refuses to fetch or read anything we did not ship.
      const { createRequire } = await import('node:module');
      const pdfmake = createRequire(import.meta.url)('pdfmake');
      const attempt = (image: string) =>
        pdfmake
          .createPdf({ content: [{ image }], defaultStyle: { font: 'DejaVuSans' } })
          .getBuffer();
      await assert.rejects(attempt(url), /denied by resource access policy/);
      await assert.rejects(attempt('/etc/passwd'), /denied by resource access policy/);
      assert.equal(requests, 0);
    } finally {
      server.close();
    }
  });
});
