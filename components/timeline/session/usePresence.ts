'use client';
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { type PresenceRole, readPresenceActivity, readPresenceUser } from '@/lib/presence';

export interface Person {
  clientId: number;
  name: string;
  color: string;
  self: boolean;
  /** Connected read-only (a viewer or a view link). */
  viewing: boolean;
  /** The role the server stamped on their presence, when it did. */
  role?: PresenceRole;
  /** The events they selected. */
  selection: string[];
  /** The event whose panel they have open. */
  editing: string | null;
}

/**
 * People currently in the room, from awareness (including this tab, marked `self`).
 *
 * Pointers and visible ranges change many times a second and are drawn outside React
 * (../presence/presenceLayer.ts): the list is only replaced when something it holds changed, so a
 * colleague moving their pointer does not re-render the editor.
 */
export function usePresence(awareness: Awareness | undefined) {
  const [people, setPeople] = useState<Person[]>([]);
  useEffect(() => {
    if (!awareness) return;
    let lastKey = '';
    const refresh = () => {
      const list: Person[] = [];
      awareness.getStates().forEach((state, clientId) => {
        const user = readPresenceUser(state);
        if (!user) return;
        const { selection, editing } = readPresenceActivity(state);
        list.push({
          clientId,
          name: user.name,
          color: user.color,
          self: clientId === awareness.clientID,
          viewing: user.mode === 'view',
          ...(user.role ? { role: user.role } : {}),
          selection,
          editing,
        });
      });
      list.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
      const key = JSON.stringify(list);
      if (key === lastKey) return;
      lastKey = key;
      setPeople(list);
    };
    refresh();
    awareness.on('change', refresh);
    return () => awareness.off('change', refresh);
  }, [awareness]);
  return people;
}
