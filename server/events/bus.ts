/**
 * A small typed event bus inside the server. One part publishes what happened (access: a session
 * ended, a role changed, a link was revoked); other parts subscribe and react (collaboration:
 * close the matching live connections; access itself: forget cached credentials).
 *
 * Events are plain JSON-serialisable objects described by zod, so the Redis-backed bus
 * (./redisBus.ts, with REDIS_URL) publishes `JSON.stringify(event)` to a channel and, on every
 * instance, `ServerEvent.parse`s what arrives and hands it to that instance's handlers. Handlers
 * must therefore expect to run on every instance, including ones that hold none of the state the
 * event is about (closing zero connections is fine).
 */
import { z } from 'zod';
import type { Logger } from '../log';

/**
 * Which live connections an event is about, as data (not a function) so it can cross instances.
 * Every field given must equal the connection's; `exceptSessionId` matches connections opened
 * with a session other than that one (not API tokens).
 */
export const ConnectionMatch = z
  .object({
    userId: z.string(),
    sessionId: z.string(),
    tokenId: z.string(),
    linkId: z.string(),
    exceptSessionId: z.string(),
  })
  .partial()
  .refine((match) => Object.keys(match).length > 0, 'an empty match would close everything');
export type ConnectionMatch = z.infer<typeof ConnectionMatch>;

export const ServerEvent = z.discriminatedUnion('type', [
  /** Credentials stopped working (sign-out, password change, API token revoked). */
  z.object({
    type: z.literal('credential.withdrawn'),
    match: ConnectionMatch,
    /** Shown to the people whose connections close. */
    reason: z.string(),
  }),
  /** An account's workspace role changed; connections opened with the old role must reopen. */
  z.object({
    type: z.literal('role.changed'),
    userId: z.string(),
    from: z.string(),
    to: z.string(),
  }),
  /** An account was deleted with its sessions and API tokens. */
  z.object({ type: z.literal('account.removed'), userId: z.string() }),
  /** A share link was revoked; it stops working at once. */
  z.object({ type: z.literal('link.revoked'), linkId: z.string(), timelineId: z.string() }),
  /** A timeline was deleted: every instance closes its live connections and drops its room. */
  z.object({ type: z.literal('timeline.deleted'), timelineId: z.string() }),
  /** A comment of an event was added, edited, resolved, reopened or deleted. */
  z.object({ type: z.literal('comment.changed'), timelineId: z.string(), eventId: z.string() }),
]);
export type ServerEvent = z.infer<typeof ServerEvent>;

export type ServerEventType = ServerEvent['type'];
export type ServerEventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

/**
 * Reacts to one event. May return how many things it acted on (connections closed), which
 * `publish` adds up over this instance's handlers.
 */
export type EventHandler<T extends ServerEventType> = (
  event: ServerEventOf<T>,
) => number | undefined | Promise<number | undefined>;

export interface EventBus {
  /**
   * Delivers an event to every subscriber of its type and resolves once this instance's handlers
   * have run, with the sum of the counts they returned. A bus spanning several instances can only
   * count the local handlers; others run later, on their own instance.
   */
  publish(event: ServerEvent): Promise<number>;
  /** Registers a handler for one type of event; returns the function that unregisters it. */
  subscribe<T extends ServerEventType>(type: T, handler: EventHandler<T>): () => void;
}

/**
 * Creates the in-process bus (one instance). A failing handler is logged and does not keep the
 * others from running: the publisher's change has already happened and cannot be undone.
 */
export function createLocalEventBus(logger?: Logger): EventBus {
  type AnyHandler = (event: ServerEvent) => ReturnType<EventHandler<ServerEventType>>;
  const handlers = new Map<ServerEventType, Set<AnyHandler>>();
  return {
    async publish(input) {
      // Checked as a Redis bus would on arrival, so what works here keeps working there.
      const event = ServerEvent.parse(input);
      let count = 0;
      for (const handler of [...(handlers.get(event.type) ?? [])]) {
        try {
          count += (await handler(event)) ?? 0;
        } catch (error) {
          logger?.error('event handler failed', { event: event.type, error });
        }
      }
      return count;
    },
    subscribe<T extends ServerEventType>(type: T, handler: EventHandler<T>) {
      let set = handlers.get(type);
      if (!set) {
        set = new Set();
        handlers.set(type, set);
      }
      // The map is keyed by type, so a handler only ever sees events of its own type.
      const entry: AnyHandler = (event) => handler(event as ServerEventOf<T>);
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
  };
}
