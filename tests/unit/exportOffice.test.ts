/**
 * Word and PowerPoint exports opened as what they are, ZIP packages of XML (jszip): real headings
 * and tables in the .docx, the expected slides and speaker notes in the .pptx, our text escaped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import JSZip from 'jszip';
import { docxFormat } from '../../server/export/docx';
import { pptxFormat } from '../../server/export/pptx';
import { makeInput } from './helpers/briefingFixture';

async function openZip(bytes: Uint8Array) {
  const zip = await JSZip.loadAsync(bytes);
  const read = async (path: string) => {
    const file = zip.file(path);
    assert.ok(file, `${path} is in the package`);
    return file.async('string');
  };
  return { zip, read };
}

describe('Word export', () => {
  it('has headings, the chronology as a table, the picture, sources with grades and legends', async () => {
    const input = makeInput({ handling: 'FOR OFFICIAL USE ONLY', summary: 'The grid is fragile.' });
    const { zip, read } = await openZip(await docxFormat.render(input));
    const body = await read('word/document.xml');
    assert.match(body, /<w:pStyle w:val="Title"\/>.*?Grid failures 2019/s);
    for (const heading of [
      'Key judgments',
      'Timeline',
      'Chronology',
      'Sources',
      'How to read this briefing',
    ]) {
      assert.match(body, new RegExp(`<w:pStyle w:val="Heading1"/>.*?${heading}`, 's'), heading);
    }
    assert.ok((body.match(/<w:tbl>/g) ?? []).length >= 4, 'chronology and three legend tables');
    assert.ok(
      body.includes('<w:tblHeader/>') || body.includes('<w:tblHeader '),
      'header row repeats',
    );
    for (const event of input.briefing.events) {
      const escaped = event.title
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;');
      assert.ok(
        body.includes(escaped) ||
          body.includes(event.title.replace(/</g, '&lt;').replace(/>/g, '&gt;')),
        event.title,
      );
    }
    assert.doesNotMatch(body, /<script>/);
    assert.ok(body.includes('B2 — usually reliable, probably true'));
    assert.ok(body.includes('2 independent publishers'));
    assert.ok(
      Object.keys(zip.files).some((path) => /^word\/media\/.+\.png$/.test(path)),
      'picture',
    );
    const headers = await Promise.all(
      Object.keys(zip.files)
        .filter((path) => /^word\/(header|footer)\d*\.xml$/.test(path))
        .map(read),
    );
    assert.equal(headers.filter((xml) => xml.includes('FOR OFFICIAL USE ONLY')).length, 2);
    assert.ok(
      headers.some((xml) => xml.includes('PAGE') && xml.includes('NUMPAGES')),
      'page numbers',
    );
  });
});

describe('PowerPoint export', () => {
  it('has a title slide, the picture, one slide per lane and the sources in the notes', async () => {
    const input = makeInput({ handling: 'SECRET', summary: 'Key <judgment>' });
    const { zip, read } = await openZip(await pptxFormat.render(input));
    const slides = Object.keys(zip.files).filter((path) =>
      /^ppt\/slides\/slide\d+\.xml$/.test(path),
    );
    assert.equal(slides.length, 4, 'title, picture, Infrastructure, Response');
    const title = await read('ppt/slides/slide1.xml');
    assert.ok(title.includes('Grid failures 2019') && title.includes('Key &lt;judgment&gt;'));
    assert.ok((await read('ppt/slides/slide2.xml')).includes('r:embed'), 'the picture');
    const infrastructure = await read('ppt/slides/slide3.xml');
    assert.ok(infrastructure.includes('Infrastructure') && infrastructure.includes('<a:tbl>'));
    assert.ok(infrastructure.includes('Treaty signed') && infrastructure.includes('Not assessed'));
    const response = await read('ppt/slides/slide4.xml');
    assert.ok(response.includes('Rolling blackouts &lt;script&gt;'));
    for (const slide of slides)
      assert.equal((await read(slide)).split('>SECRET<').length - 1, 2, slide);
    const notes = Object.keys(zip.files).filter((path) =>
      /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(path),
    );
    const allNotes = (await Promise.all(notes.map(read))).join('\n');
    assert.ok(
      allNotes.includes(
        '[1] Grid operator statement, Operator News — B2 — usually reliable, probably true',
      ),
    );
    assert.ok(allNotes.includes('[4] Anonymous tip — Not graded'));
  });

  it('makes one slide per event when asked, with its own sources in its notes', async () => {
    const input = makeInput({ slides: 'event' });
    const { zip, read } = await openZip(await pptxFormat.render(input));
    const slides = Object.keys(zip.files).filter((path) =>
      /^ppt\/slides\/slide\d+\.xml$/.test(path),
    );
    assert.equal(slides.length, 2 + 4, 'title, picture, the four events that are not bands');
    const formula = await read('ppt/slides/slide4.xml');
    assert.ok(
      formula.includes('=HYPERLINK') &&
        formula.includes('Confidence: High · 2 independent publishers'),
    );
    assert.ok(formula.includes('Where: Caracas') && formula.includes('Sources: [1] [2]'));
    const notes = Object.keys(zip.files).filter((path) =>
      /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(path),
    );
    const texts = await Promise.all(notes.map(read));
    const withFirst = texts.filter((xml) => xml.includes('[1] Grid operator statement'));
    assert.equal(withFirst.length, 1, 'a source is in the notes of its own event only');
    assert.ok(!withFirst[0]!.includes('Anonymous tip'));
  });
});
