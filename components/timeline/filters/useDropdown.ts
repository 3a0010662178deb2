'use client';
import { useEffect, useRef } from 'react';

/**
 * A `<details>` used as a drop-down: closed by a click outside it or by Escape (which then goes
 * no further, so it does not also close the event panel). Returns the ref to put on it and a
 * function that closes it.
 */
export function useDropdown() {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (event: Event) => {
      const details = ref.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== 'Escape' || !details.contains(document.activeElement)) return;
        event.preventDefault();
        details.open = false;
        details.querySelector('summary')?.focus();
      } else if (!details.contains(event.target as Node)) {
        details.open = false;
      }
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  return {
    ref,
    close: () => {
      if (ref.current) ref.current.open = false;
    },
  };
}
