'use client';
import { groupPeople } from '../PresenceList';
import { useEditingSession } from '../session/EditingSessionProvider';
import type { Person } from '../session/usePresence';

/**
 * "Ana is editing this event" in the panel, when colleagues have this event's panel open; people
 * who can only read (viewers, view links) are "viewing" it.
 */
export function EditingNotice({ eventId }: { eventId: string }) {
  const { people } = useEditingSession();
  const here = people.filter((p) => !p.self && p.editing === eventId);
  if (here.length === 0) return null;
  return (
    <div className="cb-editing-notice" role="status" data-testid="editing-notice">
      <NoticeLine people={here.filter((p) => !p.viewing)} verb="editing" />
      <NoticeLine people={here.filter((p) => p.viewing)} verb="viewing" />
    </div>
  );
}

function NoticeLine({ people, verb }: { people: Person[]; verb: string }) {
  const grouped = groupPeople(people);
  if (grouped.length === 0) return null;
  return (
    <p>
      {grouped.map((person, index) => (
        <span key={person.key}>
          {index > 0 && (index === grouped.length - 1 ? ' and ' : ', ')}
          <strong style={{ color: person.color }}>{person.name}</strong>
        </span>
      ))}{' '}
      {grouped.length > 1 ? 'are' : 'is'} {verb} this event
    </p>
  );
}
