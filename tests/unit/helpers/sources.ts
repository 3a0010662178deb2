/** Sources as tests compare them when the ids are not the point of the test. */
import assert from 'node:assert/strict';
import type { EventSource } from '../../../lib/timeline/model';

/** The sources without their ids, after checking that every one has a distinct id. */
export function withoutIds(sources: readonly EventSource[]): Omit<EventSource, 'id'>[] {
  const ids = sources.map((source) => source.id);
  for (const id of ids) assert.equal(typeof id, 'string');
  assert.equal(new Set(ids).size, ids.length, 'source ids are distinct');
  return sources.map(({ id: _id, ...rest }) => rest);
}
