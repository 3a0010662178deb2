'use client';
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { readPresenceUser } from '@/lib/presence';

export interface Person {
  clientId: number;
  name: string;
  color: string;
  self: boolean;
  /** Connected read-only (a viewer or a view link). */
  viewing: boolean;
}

/** People currently in the room, from awareness (including this tab, marked `self`). */
export function usePresence(awareness: Awareness | undefined) {
  const [people, setPeople] = useState<Person[]>([]);
  useEffect(() => {
    if (!awareness) return;
    const refresh = () => {
      const list: Person[] = [];
      awareness.getStates().forEach((state, clientId) => {
        const user = readPresenceUser(state);
        if (!user) return;
        list.push({
          clientId,
          name: user.name,
          color: user.color,
          self: clientId === awareness.clientID,
          viewing: user.mode === 'view',
        });
      });
      setPeople(
        list.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name)),
      );
    };
    refresh();
    awareness.on('change', refresh);
    return () => awareness.off('change', refresh);
  }, [awareness]);
  return people;
}
