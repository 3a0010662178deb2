'use client';
import { type ReactNode, useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * Renders `children` in the browser only: on the server (and while the page hydrates) it renders
 * `fallback`. Unlike `next/dynamic` with `ssr: false`, the children's code is part of the page's
 * own scripts, which the HTML names from the start: the browser fetches it with the rest instead
 * of only once the page has hydrated and asked for it (a round trip later, while the server may
 * be busy sending the document). Their modules must therefore load in Node without touching
 * browser globals; they only run their components in the browser.
 */
export function BrowserOnly({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const inBrowser = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  return inBrowser ? children : fallback;
}
