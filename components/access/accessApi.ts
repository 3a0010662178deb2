'use client';
/** REST calls and react-query hooks for accounts, invites, API tokens and share links. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApiTokenSummary,
  CreatedSecret,
  CreateLinkBody,
  InviteSummary,
  Role,
  ShareLinkSummary,
  UserSummary,
} from '@/lib/access';
import { request } from '../api/request';

const keys = {
  users: ['users'] as const,
  invites: ['invites'] as const,
  tokens: ['tokens'] as const,
  links: (timelineId: string) => ['timelines', timelineId, 'links'] as const,
};

const post = <T>(url: string, body: unknown) =>
  request<T>(url, { method: 'POST', body: JSON.stringify(body) });

/** First-run setup, sign-in, accepting an invite: each sets the session cookie on success. */
export const signIn = {
  setup: (body: { email: string; name: string; password: string; setupCode?: string }) =>
    post<{ user: UserSummary }>('/api/setup', body),
  login: (body: { email: string; password: string }) =>
    post<{ user: UserSummary }>('/api/auth/login', body),
  acceptInvite: (body: { token: string; email: string; name: string; password: string }) =>
    post<{ user: UserSummary }>('/api/invites/accept', body),
};

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      post<{ ok: true }>('/api/auth/password', body),
  });
}

export function signOut(): Promise<unknown> {
  return post('/api/auth/logout', {});
}

export function useUsers() {
  return useQuery({
    queryKey: keys.users,
    queryFn: () => request<{ users: UserSummary[] }>('/api/users').then((r) => r.users),
  });
}

export function useChangeRole() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      request<UserSummary>(`/api/users/${encodeURIComponent(userId)}`, {
        method: 'PATCH',
        body: JSON.stringify({ role }),
      }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.users }),
  });
}

export function useRemoveUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      request(`/api/users/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.users }),
  });
}

export function useInvites() {
  return useQuery({
    queryKey: keys.invites,
    queryFn: () => request<{ invites: InviteSummary[] }>('/api/invites').then((r) => r.invites),
  });
}

export function useCreateInvite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { role: Role; expiresInDays: number }) =>
      post<CreatedSecret>('/api/invites', body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.invites }),
  });
}

export function useRevokeInvite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      request(`/api/invites/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.invites }),
  });
}

export function useApiTokens() {
  return useQuery({
    queryKey: keys.tokens,
    queryFn: () => request<{ tokens: ApiTokenSummary[] }>('/api/tokens').then((r) => r.tokens),
  });
}

export function useCreateApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => post<CreatedSecret>('/api/tokens', { name }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.tokens }),
  });
}

export function useRevokeApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      request(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.tokens }),
  });
}

const linksUrl = (timelineId: string) => `/api/timelines/${encodeURIComponent(timelineId)}/links`;

export function useShareLinks(timelineId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.links(timelineId),
    queryFn: () =>
      request<{ links: ShareLinkSummary[] }>(linksUrl(timelineId)).then((r) => r.links),
    enabled,
  });
}

export function useCreateShareLink(timelineId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateLinkBody) => post<CreatedSecret>(linksUrl(timelineId), body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.links(timelineId) }),
  });
}

export function useRevokeShareLink(timelineId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (linkId: string) =>
      request<{ closed: number }>(`${linksUrl(timelineId)}/${encodeURIComponent(linkId)}`, {
        method: 'DELETE',
      }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.links(timelineId) }),
  });
}
