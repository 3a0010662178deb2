/**
 * The picture exports: the SVG is well-formed and escapes our text; the PNG has the right size at
 * 1× and 2× and really carries text (resvg drops text silently when it has no font).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBriefing } from '../../server/export/briefing';
import { rasteriseSvg, renderTimelinePng } from '../../server/export/picture';
import { confidenceStyle, renderTimelineSvg } from '../../server/export/timelineSvg';
import { makeInput, NOW } from './helpers/briefingFixture';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47], 'PNG signature');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Pixels in a box darker than light grey (text, shapes). */
function darkPixels(
  image: { pixels: Buffer; width: number },
  box: { x: number; y: number; w: number; h: number },
): number {
  // `pixels` is a getter that copies the whole buffer: read it once.
  const pixels = image.pixels;
  let count = 0;
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const i = (y * image.width + x) * 4;
      if (pixels[i]! < 120 && pixels[i + 1]! < 120 && pixels[i + 2]! < 120) count++;
    }
  }
  return count;
}

describe('timeline picture', () => {
  it('draws every lane, event label, band and the handling line, with our text escaped', () => {
    const { briefing } = makeInput({ handling: 'SECRET // REL <TO> ALL', from: '2019-01-15' });
    const { svg } = renderTimelineSvg(briefing);
    for (const expected of [
      'Infrastructure',
      'Response',
      'Crisis period',
      'Restoration announced',
      'Feb',
      'Mar',
    ]) {
      assert.ok(svg.includes(`>${expected}<`), `${expected} is drawn`);
    }
    assert.ok(svg.includes('Rolling blackouts &lt;script&gt;alert(1)&lt;/scrip…'));
    assert.doesNotMatch(svg, /<script/);
    assert.equal(
      svg.split('SECRET // REL &lt;TO&gt; ALL').length - 1,
      2,
      'handling line top and bottom',
    );
    assert.ok(svg.includes('data-event="ev-formula"'));
    assert.ok(!svg.includes('data-event="ev-year"'), 'the 1999 event is outside the range');
    // Confidence shows: the high point is filled in its lane colour, the low one dashed.
    assert.ok(svg.includes(`<circle cx=`) && svg.includes(confidenceStyle('high', '#3b82f6')));
    assert.ok(svg.includes(confidenceStyle('low', '#ef4444')));
  });

  it('says how many events of a crowded lane are drawn without labels', () => {
    const { content } = makeInput();
    const lane = content.lanes[0]!.id;
    // 40 events at one moment: more than a lane's ten rows.
    content.events = Array.from({ length: 40 }, (_, i) => ({
      id: `crowd-${i}`,
      title: `Crowded event ${i}`,
      kind: 'point' as const,
      start: '2019-03-01T12:00:00.000Z',
      lane,
      sources: [],
      description: '',
    })) as unknown as typeof content.events;
    const { svg } = renderTimelineSvg(buildBriefing(content, {}, { now: NOW }));
    const labelled = (svg.match(/>Crowded event \d+</g) ?? []).length;
    // Nine rows of labels; the tenth holds the rest as bare marks, under no label.
    assert.equal(labelled, 9);
    assert.ok(svg.includes('>31 more without labels:<'), 'the count of unlabelled events');
    assert.equal((svg.match(/data-event="crowd-/g) ?? []).length, 40, 'every event is drawn');
  });

  it('is well-formed SVG (resvg parses it) and a PNG at 1× and 2×', () => {
    const { briefing } = makeInput();
    const { width, height } = renderTimelineSvg(briefing);
    assert.deepEqual(pngSize(renderTimelinePng(briefing, 1)), { width, height });
    assert.deepEqual(pngSize(renderTimelinePng(briefing, 2)), {
      width: width * 2,
      height: height * 2,
    });
  });

  it('rasterises text with the shipped font (not blank where the title and lanes are)', () => {
    const { briefing } = makeInput();
    const { svg, width } = renderTimelineSvg(briefing);
    const image = rasteriseSvg(svg, width);
    // The title "Grid failures 2019" at (24, 38) in 22 px bold, and the lane title column.
    assert.ok(darkPixels(image, { x: 24, y: 18, w: 220, h: 26 }) > 300, 'title text drawn');
    assert.ok(darkPixels(image, { x: 30, y: 110, w: 120, h: 60 }) > 150, 'lane titles drawn');
    const blank = rasteriseSvg(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''), width);
    assert.equal(darkPixels(blank, { x: 24, y: 18, w: 220, h: 26 }), 0, 'the box holds only text');
  });
});
