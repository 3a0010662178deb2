/** Y.Doc replicas for concurrency tests: clients that exchange updates by hand, no server. */
import * as Y from 'yjs';

/** A new document, optionally with a fixed client id (so tie-breaks are predictable). */
export function newDoc(clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  return doc;
}

/** A second replica that starts from `source`'s current state. */
export function replicaOf(source: Y.Doc, clientID?: number): Y.Doc {
  const doc = newDoc(clientID);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return doc;
}

/** Exchanges the missing updates in both directions. */
export function sync(a: Y.Doc, b: Y.Doc): void {
  const forB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const forA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, forB);
  Y.applyUpdate(a, forA);
}
