'use client';
import type { Person } from './session/usePresence';

/** One person however many tabs they have open: their connections grouped by who they are. */
interface Attendee {
  key: string;
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
 */
export function PresenceList({ people }: { people: Person[] }) {
  return (
    <ul className="presence" aria-label="People here" data-testid="presence">
      {groupPeople(people).map((person) => (
        <li
          key={person.key}
          title={`${person.name}${person.self ? ' (you)' : ''}${person.viewing ? ' · viewing' : ''}${person.tabs > 1 ? ` · ${person.tabs} tabs` : ''}`}
          data-viewing={person.viewing}
          data-tabs={person.tabs}
        >
          <span className="avatar" style={{ background: person.color }} aria-hidden="true">
            {initials(person.name)}
          </span>
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
      name: person.name,
      color: person.color,
      self: person.self,
      viewing: person.viewing,
      tabs: 1,
    });
  }
  return [...byName.values()];
}

/** "Ana Lim" → "AL", "Analyst 878" → "A8": two characters that tell people apart. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length > 1 ? [words[0]![0], words[1]![0]] : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}
