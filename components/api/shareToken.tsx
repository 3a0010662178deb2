'use client';
/**
 * The share-link token of the page, handed down through React context rather than a module
 * global: it is known when the page renders, and a global set during render would leak between
 * pages of the same tab and run before React commits.
 */
import { createContext, type ReactNode, useCallback, useContext } from 'react';
import { request } from './request';

const ShareTokenContext = createContext<string | null>(null);

/** Makes every API hook below send `token` (null on pages opened by an account). */
export function ShareTokenProvider({
  token,
  children,
}: {
  token: string | null;
  children: ReactNode;
}) {
  return <ShareTokenContext.Provider value={token}>{children}</ShareTokenContext.Provider>;
}

/** The share-link token of this page, or null. */
export function useShareToken(): string | null {
  return useContext(ShareTokenContext);
}

/** `request` bound to the page's share-link token. */
export function useRequest(): <T>(url: string, init?: RequestInit) => Promise<T> {
  const token = useShareToken();
  return useCallback(
    <T,>(url: string, init?: RequestInit) => request<T>(url, init, token),
    [token],
  );
}
