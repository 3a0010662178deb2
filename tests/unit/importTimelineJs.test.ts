import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { convertDateParts } from '../../lib/import/dates';
import { convertHtmlToText } from '../../lib/import/html';
import { parseImport } from '../../lib/import/index';
import { parseTimelineJs } from '../../lib/import/timelinejs';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

function slide(overrides: Record<string, unknown>) {
  return { start_date: { year: '2019' }, text: { headline: 'A slide' }, ...overrides };
}
const fileOf = (...events: unknown[]) => JSON.stringify({ events });

describe('TimelineJS JSON import', () => {
  it('maps Knight Lab’s all-media-types template: groups to lanes, media to sources, title slide', () => {
    const plan = parseTimelineJs(fixture('timelinejs-all-media-types.json'));
    assert.deepEqual(plan.errors, []);
    assert.equal(plan.events.length, 41);
    assert.deepEqual(
      plan.lanes.map((lane) => lane.title),
      ['Video', 'Social Media', 'Audio', 'HTML', 'Image'],
    );
    assert.match(plan.timelineDescription ?? '', /^TimelineJS Media Types\n/);
    const youtube = plan.events.find((event) => event.event.title === 'YouTube Videos')!;
    assert.equal(youtube.laneTitle, 'Video');
    assert.equal(youtube.event.precision, 'year');
    assert.equal(youtube.event.start, '1901-01-01T00:00:00.000Z');
    // The caption is the source's title; HTML (<em>) is gone from it and from the text.
    assert.equal(
      youtube.event.sources?.[0]?.title,
      "the Monkey section of David Van Tieghem's Ear Drums",
    );
    assert.equal(
      youtube.event.sources?.[0]?.url,
      'https://m.youtube.com/watch?v=pi2v1m6gmD8&t=5m21s',
    );
    assert.doesNotMatch(youtube.event.description ?? '', /<[a-z]/i);
    assert.match(
      youtube.event.description ?? '',
      /The protocol part of the URL \(e\.g\. https:\/\/\)/,
    );
    const vimeo = plan.events.find((event) => event.event.title === 'Vimeo')!;
    assert.equal(vimeo.event.sources?.[0]?.publisher, 'Joe York/Southern Foodways Alliance');
    const tiktok = plan.events.find((event) => event.event.title === 'TikTok')!;
    assert.equal(tiktok.event.precision, 'month');
    assert.equal(tiktok.event.start, '1904-06-01T00:00:00.000Z');
  });

  it('maps eras to background bands in an Eras lane, and ranges keep year precision', () => {
    const plan = parseTimelineJs(fixture('timelinejs-eras.json'));
    assert.deepEqual(plan.errors, []);
    const eras = plan.events.filter((event) => event.event.kind === 'background');
    assert.deepEqual(
      eras.map((era) => [era.event.title, era.event.start, era.event.end, era.laneTitle]),
      [
        ['Era Test 650-700', '0650-01-01T00:00:00.000Z', '0700-01-01T00:00:00.000Z', 'Eras'],
        ['Era Test 600-650', '0600-01-01T00:00:00.000Z', '0650-01-01T00:00:00.000Z', 'Eras'],
        ['Era Test 700-720', '0700-01-01T00:00:00.000Z', '0720-01-01T00:00:00.000Z', 'Eras'],
      ],
    );
    const war = plan.events.find((event) => event.event.title === 'Last great Roman-Persian War.')!;
    assert.equal(war.event.kind, 'range');
    assert.equal(war.event.precision, 'year');
    assert.equal(war.event.sources?.[0]?.url, 'https://en.wikipedia.org/wiki/Roman-Persian_Wars');
  });

  it('keeps the links of HTML text as sources and the credit as publisher (Houston example)', () => {
    const plan = parseTimelineJs(fixture('timelinejs-houston.json'));
    assert.deepEqual(plan.errors, []);
    assert.equal(plan.events.length, 18);
    assert.match(plan.timelineDescription ?? '', /^Whitney Houston\n1963 - 2012\nHouston's voice/);
    const first = plan.events[0]!;
    assert.equal(first.event.title, 'A Musical Heritage');
    assert.equal(first.event.precision, 'day');
    // Its media URL is relative to Knight Lab's site: not a source anyone could open.
    assert.equal(first.event.sources, undefined);
    const recording = plan.events.find((event) => event.event.title === 'First Recording')!;
    assert.equal(recording.event.sources?.[0]?.url, 'https://youtu.be/fSrO91XO1Ck');
    assert.equal(recording.event.sources?.[0]?.publisher, 'Unidisc Music');
  });

  it('refuses a cosmological-scale file as a whole, with a clear message', () => {
    const plan = parseTimelineJs(fixture('timelinejs-cosmo.json'));
    assert.equal(plan.events.length, 0);
    assert.equal(plan.errors.length, 1);
    assert.equal(plan.errors[0]!.row, 0);
    assert.match(plan.errors[0]!.message, /cosmological-scale timelines .* not supported/);
    const declared = parseTimelineJs(
      JSON.stringify({ scale: 'cosmological', events: [slide({})] }),
    );
    assert.equal(declared.events.length, 0);
    assert.equal(declared.errors[0]!.field, 'scale');
  });

  it('names the row and field of a bad date and of a missing headline, keeping the good rows', () => {
    const plan = parseTimelineJs(
      fileOf(
        slide({}),
        slide({ start_date: { year: '2019', month: '13' } }),
        slide({ text: { text: '<p>no headline</p>' } }),
        slide({ start_date: { year: 'MMXIX' } }),
        slide({ start_date: { year: '2019', month: '2', day: '30' } }),
        { text: { headline: 'no date' } },
      ),
    );
    assert.equal(plan.events.length, 1);
    assert.deepEqual(
      plan.errors.map((error) => [error.row, error.field]),
      [
        [2, 'start_date.month'],
        [3, 'text.headline'],
        [4, 'start_date.year'],
        [5, 'start_date.day'],
        [6, 'start_date'],
      ],
    );
    assert.match(plan.errors[1]!.message, /headline is required/);
  });

  it('places BC and far-future years and times, with their precision', () => {
    const plan = parseTimelineJs(
      fileOf(
        slide({ start_date: { year: -500 } }),
        slide({ start_date: { year: 12000, month: 3 } }),
        slide({ start_date: { year: 2019, month: 2, day: 18, hour: 9, minute: 30 } }),
      ),
    );
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(
      plan.events.map((event) => [event.event.start, event.event.precision]),
      [
        ['-000500-01-01T00:00:00.000Z', 'year'],
        ['+012000-03-01T00:00:00.000Z', 'month'],
        ['2019-02-18T09:30:00.000Z', 'time'],
      ],
    );
  });

  it('turns HTML into plain text and never keeps script content or javascript: links', () => {
    const { text, links } = convertHtmlToText(
      '<p>One &amp; <b>two</b></p><script>alert(1)</script><p>See <a href="javascript:alert(1)">this</a> and <a href="//example.org/x">that</a>.</p>',
    );
    assert.equal(text, 'One & two\nSee this and that.');
    assert.deepEqual(links, [{ url: 'https://example.org/x', text: 'that' }]);
  });

  it('refuses a day without a month, as TimelineJS ignores it', () => {
    const result = convertDateParts({ year: 2019, day: 5 });
    assert.equal(result.ok, false);
  });

  it('is what parseImport runs for format=timelinejs', () => {
    assert.equal(parseImport('timelinejs', fileOf(slide({}))).events.length, 1);
    assert.match(parseImport('timelinejs', '{"title":{}}').errors[0]!.message, /events/);
    assert.match(parseImport('timelinejs', 'not json').errors[0]!.message, /not valid JSON/);
  });
});
