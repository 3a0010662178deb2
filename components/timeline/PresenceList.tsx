'use client';
import { initialsOf } from '@/lib/presence';
import { type FollowStore, useFollowTarget } from './presence/followStore';
import type { Person } from './session/usePresence';

/** One person however many tabs they have open: their connections grouped by who they are. */
interface Attendee {
  key: string;
  /** The awareness client id of their first tab (the one followed). */
  clientId: number;
  name: string;
  color: string;
  self: boolean;
  /** Every one of their connections is read-only. */
  viewing: boolean;
  tabs: number;
}

/**
 * The people in the room, as avatars with names; this person first. Awareness has one state per
 * tab, so the same person in two tabs would show twice: states are grouped by the announced name
 * (an account's name, or a share-link visitor's chosen name), which is all awareness carries.
 * With a follow store, a colleague's avatar is a button that follows (or stops following) their
 * view of the axis.
 */
export function PresenceList({ people, follow }: { people: Person[]; follow?: FollowStore }) {
  const followed = useFollowTarget(follow ?? null);
  return (
    <ul className="presence" aria-label="People here" data-testid="presence">
      {groupPeople(people).map((person) => (
        <li
          key={person.key}
          title={`${person.name}${person.self ? ' (you)' : ''}${person.viewing ? ' · viewing' : ''}${person.tabs > 1 ? ` · ${person.tabs} tabs` : ''}`}
          data-viewing={person.viewing}
          data-tabs={person.tabs}
        >
          {follow && !person.self ? (
            <button
              type="button"
              className="avatar avatar-button"
              style={{ background: person.color }}
              aria-pressed={followed?.clientId === person.clientId}
              aria-label={
                followed?.clientId === person.clientId
                  ? `Stop following ${person.name}`
                  : `Follow ${person.name}'s view`
              }
              onClick={() =>
                followed?.clientId === person.clientId
                  ? follow.stop()
                  : follow.start({
                      clientId: person.clientId,
                      name: person.name,
                      color: person.color,
                    })
              }
            >
              {initialsOf(person.name)}
            </button>
          ) : (
            <span className="avatar" style={{ background: person.color }} aria-hidden="true">
              {initialsOf(person.name)}
            </span>
          )}
          <span className="presence-name">
            {person.name}
            {person.self ? ' (you)' : ''}
            {person.viewing ? <span className="muted"> · viewing</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Groups awareness entries by person, keeping the given order (this tab first). */
export function groupPeople(people: Person[]): Attendee[] {
  const byName = new Map<string, Attendee>();
  for (const person of people) {
    const key = person.name.trim().toLowerCase();
    const known = byName.get(key);
    if (known) {
      known.self ||= person.self;
      known.viewing &&= person.viewing;
      known.tabs += 1;
      continue;
    }
    byName.set(key, {
      key,
      clientId: person.clientId,
      name: person.name,
      color: person.color,
      self: person.self,
      viewing: person.viewing,
      tabs: 1,
    });
  }
  return [...byName.values()];
}
