/**
 * The event bus across instances (REDIS_URL): an event published here runs this instance's
 * handlers (as the local bus does, awaited and counted) and goes out as JSON on
 * `<prefix>:bus`; every other instance parses it with `ServerEvent` on arrival and runs its own
 * handlers. So a link revoked through instance A closes the link's connections on B, a sign-out
 * clears B's credential cache, a deleted timeline's room closes everywhere.
 *
 * Redis pub/sub delivers at most once: while Redis is unreachable, events do not reach the other
 * instances (logged). What an event withdraws is also checked against the database (credentials
 * are re-verified when the cache entry expires, link and session rows are revoked), so a missed
 * event delays a closing, it does not grant access.
 */
import type { Logger } from '../log';
import type { RedisLink } from '../redis';
import { createLocalEventBus, type EventBus, ServerEvent } from './bus';

/** Wraps the local bus so that events also reach, and arrive from, the other instances. */
export async function createRedisEventBus(link: RedisLink, logger: Logger): Promise<EventBus> {
  const local = createLocalEventBus(logger);
  const channel = `${link.prefix}:bus`;
  const subscribed = link.subscriber.subscribe(channel, (message: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      logger.warn('unreadable message on the event bus channel');
      return;
    }
    const { from, event } = (parsed ?? {}) as { from?: unknown; event?: unknown };
    if (from === link.instanceId) return;
    const checked = ServerEvent.safeParse(event);
    if (!checked.success) {
      logger.warn('invalid event from another instance', { error: checked.error.message });
      return;
    }
    void local.publish(checked.data);
  });
  if (link.connected) await subscribed.catch(() => {});
  else subscribed.catch(() => {});
  return {
    async publish(input) {
      const event = ServerEvent.parse(input);
      const count = await local.publish(event);
      await link.client
        .publish(channel, JSON.stringify({ from: link.instanceId, event }))
        .catch((error: unknown) => {
          logger.warn('event not delivered to other instances: redis unreachable', {
            event: event.type,
            error: (error as Error).message,
          });
        });
      return count;
    },
    subscribe: local.subscribe,
  };
}
