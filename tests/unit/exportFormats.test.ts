/**
 * The text formats read back with independent readers: CSV with csv-parse (as the import reads
 * it), TimelineJS JSON against Knight Lab's format, iCalendar with ical.js.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ICAL from 'ical.js';
import { CSV_COLUMN_NAMES } from '../../lib/import/csvColumns';
import { csvFormat } from '../../server/export/csv';
import { icsFormat } from '../../server/export/ics';
import { timelineJsFormat } from '../../server/export/timelinejs';
import { decode, makeInput } from './helpers/briefingFixture';

describe('CSV export', () => {
  const rows = () =>
    parse(decode(csvFormat.render(makeInput()) as Uint8Array), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];

  it('writes the import columns, one row per event in time order', () => {
    const bytes = csvFormat.render(makeInput()) as Uint8Array;
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    assert.ok(text.startsWith('\ufeff'), 'a BOM so spreadsheets read UTF-8');
    assert.equal(text.split('\r\n')[0], `\ufeff${CSV_COLUMN_NAMES.join(',')}`);
    const records = rows();
    assert.deepEqual(
      records.map((row) => row.id),
      ['ev-year', 'ev-band', 'ev-formula', 'ev-range', 'ev-late'],
    );
    const range = records.find((row) => row.id === 'ev-range')!;
    assert.equal(range.lane, 'Response');
    assert.equal(range.end, '2019-03-14T08:00:00.000Z');
    assert.equal(range.description, '<b>not bold</b> & more');
  });

  it('escapes formulas but keeps negative coordinates numeric', () => {
    const formula = rows().find((row) => row.id === 'ev-formula')!;
    assert.equal(formula.title, `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(formula.latitude, '10.48');
    assert.equal(formula.longitude, '-66.9');
    assert.equal(formula.tags, 'Grid; power');
    const sources = JSON.parse(formula.sources!) as { title: string; reliability?: string }[];
    assert.deepEqual(
      sources.map((source) => [source.title, source.reliability]),
      [
        ['Grid operator statement', 'B'],
        ['Wire report', undefined],
      ],
    );
  });
});

describe('TimelineJS export', () => {
  const parsed = () =>
    JSON.parse(
      decode(timelineJsFormat.render(makeInput({ summary: 'Key <judgments>' })) as Uint8Array),
    );

  it('has a title slide, events grouped by lane and eras from background bands', () => {
    const doc = parsed();
    assert.equal(doc.title.text.headline, 'Grid failures 2019');
    assert.match(doc.title.text.text, /Key &lt;judgments&gt;/);
    assert.deepEqual(
      doc.events.map((slide: { unique_id: string }) => slide.unique_id),
      ['ev-year', 'ev-formula', 'ev-range', 'ev-late'],
    );
    assert.deepEqual(doc.eras, [
      {
        start_date: { year: 2019, month: 2 },
        end_date: { year: 2019, month: 4 },
        text: { headline: 'Crisis period' },
      },
    ]);
    const first = doc.events[1];
    assert.equal(first.group, 'Infrastructure');
    assert.deepEqual(first.start_date, { year: 2019, month: 2, day: 18 });
    assert.deepEqual(first.media, {
      url: 'https://www.operator.example/news/1',
      caption: 'Grid operator statement',
      credit: 'Operator News',
    });
    assert.deepEqual(
      doc.events[0].start_date,
      { year: 1999 },
      'a year-precise date names no month',
    );
    assert.deepEqual(doc.events[2].end_date, {
      year: 2019,
      month: 3,
      day: 14,
      hour: 8,
      minute: 0,
      second: 0,
    });
  });

  it('escapes our text, since TimelineJS renders it as HTML', () => {
    const range = parsed().events[2];
    assert.equal(range.text.headline, 'Rolling blackouts &lt;script&gt;alert(1)&lt;/script&gt;');
    assert.match(range.text.text, /&lt;b&gt;not bold&lt;\/b&gt; &amp; more/);
    assert.doesNotMatch(JSON.stringify(parsed()), /<script|<b>/);
    assert.match(
      parsed().events[1].text.text,
      /\[1\] <a href="https:\/\/www\.operator\.example\/news\/1">/,
    );
  });
});

describe('iCalendar export', () => {
  const events = () => {
    const text = decode(icsFormat.render(makeInput()) as Uint8Array);
    const calendar = new ICAL.Component(ICAL.parse(text));
    return calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
  };

  it('writes every event; all-day or timed by precision, ranges over their days', () => {
    const all = events();
    assert.equal(all.length, 5);
    const byUid = new Map(all.map((event) => [event.uid, event]));
    const point = byUid.get('ev-formula@chronoboard')!;
    assert.equal(point.summary, '=HYPERLINK("http://evil.example","click")');
    assert.equal(point.startDate.isDate, true);
    assert.equal(point.startDate.toString(), '2019-02-18');
    assert.equal(point.endDate.toString(), '2019-02-19');
    const range = byUid.get('ev-range@chronoboard')!;
    assert.equal(range.startDate.isDate, false);
    assert.equal(range.startDate.toString(), '2019-03-07T16:50:00Z');
    assert.equal(range.endDate.toString(), '2019-03-14T08:00:00Z');
    const band = byUid.get('ev-band@chronoboard')!;
    assert.equal(band.startDate.toString(), '2019-02-01');
    assert.equal(band.endDate.toString(), '2019-05-01', 'DTEND is the day after the last day');
    assert.equal(byUid.get('ev-late@chronoboard')!.startDate.toString(), '2019-06-01T09:30:00Z');
  });

  it('puts confidence, corroboration and the numbered sources in the description', () => {
    const point = events().find((event) => event.uid === 'ev-formula@chronoboard')!;
    assert.match(point.description, /Confidence: High · 2 independent publishers/);
    assert.match(
      point.description,
      /\[1\] Grid operator statement \(Operator News, B2\) https:\/\/www\.operator\.example\/news\/1/,
    );
    assert.equal(point.location, 'Caracas');
    const year = events().find((event) => event.uid === 'ev-year@chronoboard')!;
    assert.match(year.description, /When: 1999 \(start between 1998 and 1999\)/);
  });
});
