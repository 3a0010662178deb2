/**
 * Chronoboard's opt-in "notices" extension of the y-websocket protocol, shared by browser and
 * server: things about a timeline that live outside its Yjs document (comments today) changed,
 * so clients refetch them.
 *
 * - client → server `[varUint 5]`: "send me notices on this connection" (sent again after every
 *   reconnect; plain y-websocket clients never send it, so they never receive a message type they
 *   cannot read).
 * - server → client `[varUint 5, varString JSON]`: one `Notice`.
 *
 * The notice only says what to refetch; the data itself comes over the authorized REST API, so a
 * notice never carries anything a connection could not read anyway.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { z } from 'zod';

export const NOTICE_MESSAGE_TYPE = 5;

/** What changed. Unknown kinds are ignored by clients (newer servers may send more). */
export const Notice = z.object({
  kind: z.literal('comments'),
  /** The event whose comments changed. */
  eventId: z.string(),
});
export type Notice = z.infer<typeof Notice>;

/** `[5]`: the subscription a client sends once per connection. */
export function encodeNoticeSubscribe(): Uint8Array<ArrayBuffer> {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, NOTICE_MESSAGE_TYPE);
  return new Uint8Array(encoding.toUint8Array(encoder));
}

/** `[5, JSON]`: a notice as the server sends it. */
export function encodeNotice(notice: Notice): Uint8Array<ArrayBuffer> {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, NOTICE_MESSAGE_TYPE);
  encoding.writeVarString(encoder, JSON.stringify(notice));
  return new Uint8Array(encoding.toUint8Array(encoder));
}

/**
 * Reads a notice's payload from a decoder positioned after the message type (as y-websocket's
 * message handlers receive it). Lenient: anything unreadable or unknown is null.
 */
export function readNotice(decoder: decoding.Decoder): Notice | null {
  try {
    const parsed = Notice.safeParse(JSON.parse(decoding.readVarString(decoder)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
