/**
 * The demo timeline seeded on a fresh instance: mobile-network outages near the North Korean
 * border in February 2019, reported claims of call monitoring, the Hanoi summit and the
 * parliamentary elections. Facts from a Daily NK report (see /work/shared/seed-story.md in the
 * project notes); the wording is ours.
 *
 * The evidence is the demo's illustration, not a verdict: the source grades (Admiralty
 * reliability A–F, credibility 1–6) follow the story's suggested grading, which analysts may
 * well argue with; confidence follows the story's labels through the legacy mapping
 * (confirmed → high, reported and assessment → moderate). Excerpts restate what each source said
 * in our words; they are not quotations. The URL is Daily NK's English site, not the article.
 */
import type * as Y from 'yjs';
import { createId } from '../ids';
import { createEvent, initializeTimeline } from '../timeline/model';
import type { EventInput, SourceInput } from '../timeline/schemas';

export const DEMO_TIMELINE_TITLE = 'Border network outages, February–March 2019';

const DAILY_NK_URL = 'https://www.dailynk.com/english/';
const REPORT_DATE = '2019-02-22';

/** A person Daily NK quotes, graded as the story suggests. */
function dailyNk(
  title: string,
  grade: Pick<SourceInput, 'reliability' | 'credibility'>,
  excerpt: string,
): SourceInput {
  return {
    title,
    publisher: 'Daily NK',
    publishedAt: REPORT_DATE,
    url: DAILY_NK_URL,
    excerpt,
    ...grade,
  };
}

const RYANGGANG = dailyNk(
  'Source in Ryanggang Province (spoke on 22 Feb)',
  { reliability: 'C', credibility: 3 },
  'Phones near the border in Kimjongsuk and Pochon counties could not reach the network for ' +
    'three days; people travelled away from the border to make calls.',
);
const POSTAL_WORKER = dailyNk(
  'Postal service worker, quoted by the Ryanggang source',
  { reliability: 'D', credibility: 4 },
  'The MSS allowed one call per 100 families every three days, and it was listening to every call.',
);
const CAMERA_PHOTO = dailyNk(
  'Photo: cameras on border guard posts, Musan (Daily NK)',
  { reliability: 'B', credibility: 2 },
  'Surveillance cameras installed on border guard posts in the Musan area.',
);
const NORTH_HAMGYONG = dailyNk(
  'Source in North Hamgyong Province',
  { reliability: 'C', credibility: 3 },
  'Halting the signal is an easy decision for the authorities, and it covers a whole region.',
);
const DEFECTOR = dailyNk(
  'Former high-ranking defector',
  { reliability: 'C', credibility: 3 },
  'In tense periods such as summits and elections calls were often blocked, and even ' +
    'non-specialists were mobilised to listen to wired home phones.',
);
const SECOND_RYANGGANG = dailyNk(
  'Second source in Ryanggang Province',
  { reliability: 'C', credibility: 3 },
  'Residents tie the outage to the summit and advise one another to use phones only to check on ' +
    'family, not for business.',
);
const DAILY_NK_ANALYSIS: SourceInput = {
  title: 'Daily NK analysis',
  publisher: 'Daily NK',
  publishedAt: REPORT_DATE,
  url: DAILY_NK_URL,
};
/** The public record: news wires and official announcements, graded A1 in the story. */
const NEWS_WIRES: SourceInput = {
  title: 'Public record: news wires',
  publisher: 'Reuters',
  reliability: 'A',
  credibility: 1,
};
const OFFICIAL: SourceInput = {
  title: 'Public record: official announcement',
  publisher: 'KCNA',
  reliability: 'A',
  credibility: 1,
};

const OUTAGE_AREA = 'Kimjongsuk and Pochon counties, Ryanggang Province';

/** Writes the demo lanes and events into an empty document. */
export function writeDemoTimeline(doc: Y.Doc): void {
  doc.transact(() => {
    const [outages, surveillance, diplomacy, elections, reporting, analysis, reaction] =
      initializeTimeline(doc, {
        title: DEMO_TIMELINE_TITLE,
        lanes: [
          { title: 'Network outages', color: '#dc2626' },
          { title: 'Surveillance', color: '#7c3aed' },
          { title: 'Diplomacy', color: '#2563eb' },
          { title: 'Elections', color: '#059669' },
          { title: 'Reporting', color: '#d97706' },
          { title: 'Analysis', color: '#64748b' },
          { title: 'Public reaction', color: '#0891b2' },
        ],
      }) as [string, string, string, string, string, string, string];

    // Ids chosen up front, so that events can link to events written after them.
    const ids = {
      outage: createId(),
      inland: createId(),
      reaction: createId(),
      pattern: createId(),
      summit: createId(),
      elections: createId(),
      window: createId(),
    };

    const events: [string, EventInput][] = [
      [
        ids.outage,
        {
          title: 'Phones cut off near the border (Kimjongsuk and Pochon counties)',
          kind: 'range',
          start: '2019-02-18',
          end: '2019-02-21',
          precision: 'day',
          lane: outages,
          confidence: 'moderate',
          description:
            'For three days (18–20 February) mobile phones close to the border in Kimjongsuk County and ' +
            'Pochon County, Ryanggang Province, could not connect to the network. People travelled ' +
            'inland, away from the border, to make calls. Single source.',
          location: { name: OUTAGE_AREA },
          tags: ['mobile network', 'outage', 'border', 'Ryanggang'],
          links: [
            { eventId: ids.inland, relation: 'causes' },
            { eventId: ids.reaction, relation: 'causes' },
          ],
          sources: [RYANGGANG],
        },
      ],
      [
        createId(),
        {
          title: 'Postal worker: one call per 100 families, all calls monitored',
          kind: 'point',
          start: '2019-02-19',
          // "During the outage": some day from the 18th to the 20th.
          startEarliest: '2019-02-18',
          startLatest: '2019-02-20',
          precision: 'day',
          lane: surveillance,
          confidence: 'moderate',
          description:
            'During the outage a postal service worker told people trying to call that the Ministry of ' +
            'State Security (MSS) allowed one call for every 100 families every three days, and that ' +
            'the MSS listened to every call. Second-hand account.',
          location: { name: 'Ryanggang Province' },
          tags: ['MSS', 'call monitoring', 'Ryanggang'],
          sources: [POSTAL_WORKER],
        },
      ],
      [
        createId(),
        {
          title: 'Cameras on border guard posts, Musan area',
          kind: 'point',
          start: '2019-02-22',
          // The photo is undated: all that is known is that it was published on the 22nd.
          startLatest: '2019-02-22',
          precision: 'day',
          lane: surveillance,
          confidence: 'high',
          description:
            'Photo of surveillance cameras mounted on border guard posts around Musan, North Hamgyong ' +
            'Province. The photo is undated; it is placed on the date it was published.',
          location: { name: 'Musan area, North Hamgyong Province' },
          tags: ['cameras', 'border', 'North Hamgyong'],
          sources: [CAMERA_PHOTO],
        },
      ],
      [
        createId(),
        {
          title: 'Daily NK publishes the Ryanggang account',
          kind: 'point',
          start: REPORT_DATE,
          precision: 'day',
          lane: reporting,
          description: 'The Ryanggang source describes the three-day outage to Daily NK.',
          tags: ['reporting'],
          sources: [
            {
              title: 'Daily NK report, 22 Feb 2019',
              publisher: 'Daily NK',
              publishedAt: REPORT_DATE,
              url: DAILY_NK_URL,
            },
          ],
        },
      ],
      [
        createId(),
        {
          title: 'Assessment: blackouts make up for too few listeners',
          kind: 'range',
          start: '2019-02-18',
          end: '2019-03-11',
          lane: surveillance,
          confidence: 'moderate',
          description:
            'The MSS cannot listen to every call, so it may monitor calls 100 families at a time. ' +
            'Cutting the signal lets it cover a whole region despite shortages of equipment and staff. ' +
            'Ongoing; drawn over the period of the report.',
          location: { name: 'North Hamgyong Province' },
          tags: ['MSS', 'call monitoring', 'analysis'],
          sources: [NORTH_HAMGYONG, DAILY_NK_ANALYSIS],
        },
      ],
      [
        ids.pattern,
        {
          title: 'Pattern: calls blocked in tense periods',
          kind: 'point',
          start: '2019-02-15',
          // A historical pattern, not a dated event: known only to come before the outage.
          startLatest: '2019-02-18',
          precision: 'year',
          lane: surveillance,
          confidence: 'moderate',
          description:
            'In earlier tense periods such as US–DPRK summits and elections, calls were often blocked. ' +
            'Anyone overheard saying something unusual was then put under targeted surveillance, and ' +
            'even non-specialists were mobilised to listen in on wired home phones. A historical ' +
            'pattern, not a dated event; placed just before the outage.',
          tags: ['call monitoring', 'pattern'],
          links: [{ eventId: ids.outage, relation: 'related' }],
          sources: [DEFECTOR],
        },
      ],
      [
        ids.summit,
        {
          title: 'Second US–DPRK summit, Hanoi',
          kind: 'range',
          start: '2019-02-27',
          end: '2019-03-01',
          precision: 'day',
          lane: diplomacy,
          confidence: 'high',
          description:
            'Second summit between the United States and North Korea, held in Hanoi, Vietnam.',
          location: { name: 'Hanoi, Vietnam', lat: 21.03, lon: 105.85 },
          tags: ['summit', 'diplomacy'],
          links: [{ eventId: ids.window, relation: 'related' }],
          sources: [NEWS_WIRES, OFFICIAL],
        },
      ],
      [
        ids.elections,
        {
          title: 'Supreme People’s Assembly elections',
          kind: 'point',
          start: '2019-03-10',
          precision: 'day',
          lane: elections,
          confidence: 'high',
          description: 'Elections to the Supreme People’s Assembly.',
          tags: ['elections'],
          links: [{ eventId: ids.window, relation: 'related' }],
          sources: [NEWS_WIRES, OFFICIAL],
        },
      ],
      [
        ids.window,
        {
          title: 'Window of tightened control',
          kind: 'background',
          start: '2019-02-25',
          end: '2019-03-08',
          // "Late February to early March": the edges are approximate.
          precision: 'month',
          lane: analysis,
          confidence: 'moderate',
          description:
            'Late February to early March: a run of political events during which the authorities are ' +
            'believed to tighten control so that domestic sentiment does not reach foreign media.',
          tags: ['analysis', 'summit', 'elections'],
          sources: [DAILY_NK_ANALYSIS],
        },
      ],
      [
        ids.reaction,
        {
          title: 'Residents tie the outage to the summit',
          kind: 'point',
          start: '2019-02-23',
          // "After the outage", which ended on the 20th.
          startEarliest: '2019-02-21',
          precision: 'day',
          lane: reaction,
          confidence: 'moderate',
          description:
            'After the outage, residents connected it with the summit. People advise one another to ' +
            'use phones only to check on family, never for business.',
          location: { name: 'Ryanggang Province' },
          tags: ['public reaction', 'summit', 'Ryanggang'],
          sources: [SECOND_RYANGGANG],
        },
      ],
      [
        ids.inland,
        {
          title: 'Callers travel inland to get a signal',
          kind: 'point',
          start: '2019-02-19',
          startEarliest: '2019-02-18',
          startLatest: '2019-02-20',
          precision: 'day',
          lane: reaction,
          confidence: 'moderate',
          description:
            'With the border area cut off, people moved away from the border to place calls.',
          location: { name: OUTAGE_AREA },
          tags: ['public reaction', 'mobile network', 'Ryanggang'],
          sources: [RYANGGANG],
        },
      ],
    ];
    for (const [id, event] of events) createEvent(doc, event, id);
  });
}
