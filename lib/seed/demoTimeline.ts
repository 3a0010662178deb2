/**
 * The demo timeline seeded on a fresh instance: mobile-network outages near the North Korean
 * border in February 2019, reported claims of call monitoring, the Hanoi summit and the
 * parliamentary elections. Facts from a Daily NK report; the wording is ours.
 */
import type * as Y from 'yjs';
import { createEvent, initializeTimeline } from '../timeline/model';
import type { EventInput } from '../timeline/schemas';

export const DEMO_TIMELINE_TITLE = 'Border network outages, February–March 2019';

const DAILY_NK = { title: 'Daily NK report, 22 Feb 2019' };

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

    const events: EventInput[] = [
      {
        title: 'Phones cut off near the border (Kimjongsuk and Pochon counties)',
        kind: 'range',
        start: '2019-02-18',
        end: '2019-02-21',
        lane: outages,
        confidence: 'reported',
        description:
          'For three days (18–20 February) mobile phones close to the border in Kimjongsuk County and ' +
          'Pochon County, Ryanggang Province, could not connect to the network. People travelled ' +
          'inland, away from the border, to make calls. Single source.',
        sources: [{ title: 'Source in Ryanggang Province (spoke on 22 Feb)' }, DAILY_NK],
      },
      {
        title: 'Postal worker: one call per 100 families, all calls monitored',
        kind: 'point',
        start: '2019-02-19',
        lane: surveillance,
        confidence: 'reported',
        description:
          'During the outage a postal service worker told people trying to call that the Ministry of ' +
          'State Security (MSS) allowed one call for every 100 families every three days, and that ' +
          'the MSS listened to every call. Second-hand account.',
        sources: [{ title: 'Source in Ryanggang Province' }, DAILY_NK],
      },
      {
        title: 'Cameras on border guard posts, Musan area',
        kind: 'point',
        start: '2019-02-22',
        lane: surveillance,
        confidence: 'confirmed',
        description:
          'Photo of surveillance cameras mounted on border guard posts around Musan, North Hamgyong ' +
          'Province. The photo is undated; it is placed on the date it was published.',
        sources: [{ title: 'Photo: Daily NK' }],
      },
      {
        title: 'Daily NK publishes the Ryanggang account',
        kind: 'point',
        start: '2019-02-22',
        lane: reporting,
        description: 'The Ryanggang source describes the three-day outage to Daily NK.',
        sources: [DAILY_NK],
      },
      {
        title: 'Assessment: blackouts make up for too few listeners',
        kind: 'range',
        start: '2019-02-18',
        end: '2019-03-11',
        lane: surveillance,
        confidence: 'assessment',
        description:
          'The MSS cannot listen to every call, so it may monitor calls 100 families at a time. ' +
          'Cutting the signal lets it cover a whole region despite shortages of equipment and staff. ' +
          'Ongoing; drawn over the period of the report.',
        sources: [{ title: 'Source in North Hamgyong Province' }, { title: 'Daily NK analysis' }],
      },
      {
        title: 'Pattern: calls blocked in tense periods',
        kind: 'point',
        start: '2019-02-15',
        lane: surveillance,
        confidence: 'reported',
        description:
          'In earlier tense periods such as US–DPRK summits and elections, calls were often blocked. ' +
          'Anyone overheard saying something unusual was then put under targeted surveillance, and ' +
          'even non-specialists were mobilised to listen in on wired home phones. A historical ' +
          'pattern, not a dated event; placed just before the outage.',
        sources: [{ title: 'Former high-ranking defector' }, DAILY_NK],
      },
      {
        title: 'Second US–DPRK summit, Hanoi',
        kind: 'range',
        start: '2019-02-27',
        end: '2019-03-01',
        lane: diplomacy,
        confidence: 'confirmed',
        description:
          'Second summit between the United States and North Korea, held in Hanoi, Vietnam.',
        sources: [{ title: 'Public record' }],
      },
      {
        title: 'Supreme People’s Assembly elections',
        kind: 'point',
        start: '2019-03-10',
        lane: elections,
        confidence: 'confirmed',
        description: 'Elections to the Supreme People’s Assembly.',
        sources: [{ title: 'Public record' }],
      },
      {
        title: 'Window of tightened control',
        kind: 'background',
        start: '2019-02-25',
        end: '2019-03-08',
        lane: analysis,
        confidence: 'assessment',
        description:
          'Late February to early March: a run of political events during which the authorities are ' +
          'believed to tighten control so that domestic sentiment does not reach foreign media.',
        sources: [{ title: 'Daily NK analysis' }],
      },
      {
        title: 'Residents tie the outage to the summit',
        kind: 'point',
        start: '2019-02-23',
        lane: reaction,
        confidence: 'reported',
        description:
          'After the outage, residents connected it with the summit. People advise one another to ' +
          'use phones only to check on family, never for business.',
        sources: [{ title: 'Second source in Ryanggang Province' }, DAILY_NK],
      },
      {
        title: 'Callers travel inland to get a signal',
        kind: 'point',
        start: '2019-02-19',
        lane: reaction,
        confidence: 'reported',
        description:
          'With the border area cut off, people moved away from the border to place calls.',
        sources: [{ title: 'Source in Ryanggang Province' }],
      },
    ];
    for (const event of events) createEvent(doc, event);
  });
}
