/**
 * Live notices of changes outside the document: when the bus says an event's comments changed,
 * every connection to that timeline on this instance that subscribed (lib/noticeMessage.ts) is
 * told, and its client refetches over REST. The bus is what makes this work across instances: a
 * Redis-backed bus delivers `comment.changed` to every instance, and each tells its own
 * connections (an instance with nobody in the room tells no one).
 */
import type { EventBus } from '../events/bus';
import type { CollabServer } from './server';

/** Subscribes the collaboration server to notice events; returns the function that unsubscribes. */
export function subscribeCollabToNotices(
  bus: EventBus,
  collab: Pick<CollabServer, 'sendNotice'>,
): () => void {
  return bus.subscribe('comment.changed', ({ timelineId, eventId }) =>
    collab.sendNotice(timelineId, { kind: 'comments', eventId }),
  );
}
