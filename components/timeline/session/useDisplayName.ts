'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { pickColorFor } from '@/lib/colors';
import type { PresenceMode, PresenceUser } from '@/lib/presence';

const STORAGE_KEY = 'chronoboard:display-name';

/**
 * The name this person shows to others: their account name, or for share-link visitors a name
 * kept in their browser (starts as "Guest NNN", editable in the header).
 */
export function useDisplayName(accountName: string | null, mode: PresenceMode) {
  const [name, setName] = useState(accountName ?? '');
  useEffect(() => {
    if (accountName) return;
    const stored = window.localStorage.getItem(STORAGE_KEY);
    setName(stored || `Guest ${100 + Math.floor(Math.random() * 900)}`);
  }, [accountName]);
  const update = useCallback((next: string) => {
    setName(next);
    if (next.trim()) window.localStorage.setItem(STORAGE_KEY, next.trim());
  }, []);
  const user = useMemo<PresenceUser>(() => {
    return { name: name.trim() || 'Anonymous', color: pickColorFor(name), mode };
  }, [name, mode]);
  return { name, setName: update, user };
}
