'use client';
import type { Person } from './session/usePresence';

/** The people in the room, as avatars with names; this tab first. */
export function PresenceList({ people }: { people: Person[] }) {
  return (
    <ul className="presence" aria-label="People here" data-testid="presence">
      {people.map((person) => (
        <li
          key={person.clientId}
          title={`${person.name}${person.self ? ' (you)' : ''}${person.viewing ? ' · viewing' : ''}`}
          data-viewing={person.viewing}
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

/** "Ana Lim" → "AL", "Analyst 878" → "A8": two characters that tell people apart. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length > 1 ? [words[0]![0], words[1]![0]] : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}
