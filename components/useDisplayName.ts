'use client';
import { useEffect, useMemo, useState } from 'react';

const STORAGE_KEY = 'chronoboard:display-name';
const COLORS = [
  '#2563eb',
  '#dc2626',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#4d7c0f',
];

/**
 * The name this person shows to others, kept in their browser until accounts exist.
 * Starts as "Analyst NNN" and can be changed in the header.
 */
export function useDisplayName() {
  const [name, setName] = useState('');
  useEffect(() => {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    setName(stored || `Analyst ${100 + Math.floor(Math.random() * 900)}`);
  }, []);
  const update = (next: string) => {
    setName(next);
    if (next.trim()) window.localStorage.setItem(STORAGE_KEY, next.trim());
  };
  const user = useMemo(() => {
    let hash = 0;
    for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    return { name: name.trim() || 'Anonymous', color: COLORS[hash % COLORS.length]! };
  }, [name]);
  return { name, setName: update, user };
}
