/**
 * Cuts one big Yjs update into several smaller ones, so that a browser can apply a 100,000-event
 * document a slice at a time (one task each) instead of in one task of seconds.
 *
 * An update (format v1, what y-websocket sends) lists, per client, a run of structs with
 * consecutive clocks, then a delete set. Each struct is a self-contained byte sequence, so a run
 * can be cut between two structs: a slice is a header (one client, its struct count and first
 * clock) followed by the original bytes of those structs, and the delete set goes with the last
 * slice. Nothing is decoded into objects: the cutter only steps over the bytes (it needs each
 * struct's length in clock units, which for a string is its UTF-16 length, counted from its
 * UTF-8 bytes).
 *
 * Applying every slice, in order, gives the same document as applying the update: Yjs updates
 * commute, and a slice whose structs depend on one not applied yet waits in Yjs's pending store
 * until it is. The biggest client's runs go first (in a timeline that is the bulk of the events,
 * which the edits of others refer to), so that rarely happens.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

interface Run {
  client: number;
  /** Clock of the first struct. */
  clock: number;
  count: number;
  bytes: Uint8Array;
}

function skipString(decoder: decoding.Decoder): number {
  const length = decoding.readVarUint(decoder);
  // UTF-16 length from the UTF-8 bytes: one unit per sequence start, two for a 4-byte one.
  let units = 0;
  const { arr } = decoder;
  const end = decoder.pos + length;
  for (let at = decoder.pos; at < end; at++) {
    const byte = arr[at]!;
    if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
  }
  decoder.pos = end;
  return units;
}

function skipAny(decoder: decoding.Decoder): void {
  const type = decoding.readUint8(decoder);
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125:
      decoding.readVarInt(decoder);
      return;
    case 124:
      decoder.pos += 4;
      return;
    case 123:
    case 122:
      decoder.pos += 8;
      return;
    case 119:
      skipString(decoder);
      return;
    case 118: {
      const length = decoding.readVarUint(decoder);
      for (let i = 0; i < length; i++) {
        skipString(decoder);
        skipAny(decoder);
      }
      return;
    }
    case 117: {
      const length = decoding.readVarUint(decoder);
      for (let i = 0; i < length; i++) skipAny(decoder);
      return;
    }
    case 116: {
      const length = decoding.readVarUint(decoder); // (not `pos += read…`: read moves pos)
      decoder.pos += length;
      return;
    }
    default:
      throw new Error(`unknown value type ${type} in an update`);
  }
}

/** Steps over one struct; returns its length in clock units. */
function skipStruct(decoder: decoding.Decoder): number {
  const info = decoding.readUint8(decoder);
  const kind = info & 0x1f;
  if (kind === 0 || kind === 10) return decoding.readVarUint(decoder); // GC, Skip
  if (info & 0x80) {
    decoding.readVarUint(decoder); // origin
    decoding.readVarUint(decoder);
  }
  if (info & 0x40) {
    decoding.readVarUint(decoder); // right origin
    decoding.readVarUint(decoder);
  }
  if ((info & 0xc0) === 0) {
    if (decoding.readVarUint(decoder) === 1)
      skipString(decoder); // parent: a root type's name
    else {
      decoding.readVarUint(decoder); // parent: an item's id
      decoding.readVarUint(decoder);
    }
    if (info & 0x20) skipString(decoder); // the key in a map
  }
  switch (kind) {
    case 1: // deleted
      return decoding.readVarUint(decoder);
    case 2: {
      // JSON: strings
      const length = decoding.readVarUint(decoder);
      for (let i = 0; i < length; i++) skipString(decoder);
      return length;
    }
    case 3: {
      // binary
      const length = decoding.readVarUint(decoder);
      decoder.pos += length;
      return 1;
    }
    case 4: // string
      return skipString(decoder);
    case 5: // embed
      skipString(decoder);
      return 1;
    case 6: // format: key, value
      skipString(decoder);
      skipString(decoder);
      return 1;
    case 7: {
      // a type; XML elements and hooks carry a name
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef === 3 || typeRef === 5) skipString(decoder);
      return 1;
    }
    case 8: {
      // any: values
      const length = decoding.readVarUint(decoder);
      for (let i = 0; i < length; i++) skipAny(decoder);
      return length;
    }
    case 9: // subdocument: guid, options
      skipString(decoder);
      skipAny(decoder);
      return 1;
    default:
      throw new Error(`unknown struct type ${kind} in an update`);
  }
}

/**
 * The runs of `update`'s structs, each about `sliceBytes` at most, in the update's order, read as
 * they are asked for; returns the delete set at the end. Throws when the update is not read
 * exactly (a struct type it does not know, bytes left that are not a delete set).
 */
function* readRuns(update: Uint8Array, sliceBytes: number): Generator<Run, Uint8Array> {
  const decoder = decoding.createDecoder(update);
  const clients = decoding.readVarUint(decoder);
  for (let c = 0; c < clients; c++) {
    const count = decoding.readVarUint(decoder);
    const client = decoding.readVarUint(decoder);
    let clock = decoding.readVarUint(decoder);
    let start = decoder.pos;
    let startClock = clock;
    let inRun = 0;
    for (let i = 0; i < count; i++) {
      clock += skipStruct(decoder);
      inRun++;
      if (decoder.pos - start >= sliceBytes || i === count - 1) {
        yield {
          client,
          clock: startClock,
          count: inRun,
          bytes: update.subarray(start, decoder.pos),
        };
        start = decoder.pos;
        startClock = clock;
        inRun = 0;
      }
    }
  }
  const deleteSet = update.subarray(decoder.pos);
  // What is left must be exactly a delete set: a misread struct would show here, and the update
  // is then applied whole rather than cut in the wrong places.
  const clientsDeleted = decoding.readVarUint(decoder);
  for (let c = 0; c < clientsDeleted; c++) {
    decoding.readVarUint(decoder);
    const ranges = decoding.readVarUint(decoder);
    for (let r = 0; r < ranges; r++) {
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
    }
  }
  if (decoding.hasContent(decoder)) throw new Error('bytes after the delete set');
  return deleteSet;
}

/** One slice: `group`'s runs (one per client at most), and the delete set if it is the last. */
function encodeSlice(group: readonly Run[], deleteSet: Uint8Array | null): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, group.length);
  for (const run of group) {
    encoding.writeVarUint(encoder, run.count);
    encoding.writeVarUint(encoder, run.client);
    encoding.writeVarUint(encoder, run.clock);
    encoding.writeUint8Array(encoder, run.bytes);
  }
  if (deleteSet) encoding.writeUint8Array(encoder, deleteSet);
  else encoding.writeVarUint(encoder, 0); // no deletions
  return encoding.toUint8Array(encoder);
}

/**
 * Groups runs into slices as they come: small runs of several clients share a slice, a slice
 * holds one run per client at most and about `sliceBytes`.
 */
function* groupRuns(
  runs: Iterator<Run, Uint8Array>,
  sliceBytes: number,
): Generator<Uint8Array, void> {
  let group: Run[] = [];
  let groupBytes = 0;
  for (;;) {
    const next = runs.next();
    if (next.done) {
      yield encodeSlice(group, next.value);
      return;
    }
    const run = next.value;
    if (
      group.length > 0 &&
      (groupBytes + run.bytes.byteLength > sliceBytes ||
        group.some((other) => other.client === run.client))
    ) {
      yield encodeSlice(group, null);
      group = [];
      groupBytes = 0;
    }
    group.push(run);
    groupBytes += run.bytes.byteLength;
  }
}

/**
 * The update cut into slices of about `sliceBytes` each (a struct is never cut), to be applied in
 * order; the biggest client's runs go first. An update that is not bigger than `sliceBytes` is
 * returned whole, as is one this reader does not understand (it is then applied in one piece, as
 * before). Reads the whole update before returning: see `streamSlices` for the first slice at once.
 */
export function sliceUpdate(update: Uint8Array, sliceBytes: number): Uint8Array[] {
  if (update.byteLength <= sliceBytes) return [update];
  const byClient = new Map<number, Run[]>();
  let deleteSet: Uint8Array;
  try {
    const runs = readRuns(update, sliceBytes);
    for (;;) {
      const next = runs.next();
      if (next.done) {
        deleteSet = next.value;
        break;
      }
      const own = byClient.get(next.value.client) ?? [];
      own.push(next.value);
      byClient.set(next.value.client, own);
    }
  } catch {
    return [update];
  }
  const size = (own: Run[]) => own.reduce((sum, run) => sum + run.bytes.byteLength, 0);
  const ordered = [...byClient.values()].sort((a, b) => size(b) - size(a)).flat();
  function* biggestFirst(): Generator<Run, Uint8Array> {
    yield* ordered;
    return deleteSet;
  }
  return [...groupRuns(biggestFirst(), sliceBytes)];
}

/**
 * The same slices, in the update's order, each read only when asked for: the first is ready at
 * once instead of after a pass over the whole update (0.3–0.6 s for a 100,000-event document in a
 * browser). Runs of a client that depend on a later one wait in Yjs's pending store until it is
 * applied. If the update turns out not to be read exactly, the last piece is the whole update
 * (applying again what the slices before it applied changes nothing).
 */
export function* streamSlices(update: Uint8Array, sliceBytes: number): Generator<Uint8Array> {
  if (update.byteLength <= sliceBytes) {
    yield update;
    return;
  }
  const slices = groupRuns(readRuns(update, sliceBytes), sliceBytes);
  for (;;) {
    let next: IteratorResult<Uint8Array, void>;
    try {
      next = slices.next();
    } catch {
      yield update;
      return;
    }
    if (next.done) return;
    yield next.value;
  }
}
