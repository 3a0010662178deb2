import type { UserSummary } from '@/lib/access';

/** How the page was opened: by an account (its role decides the mode) or by a share link. */
export interface PageAccess {
  mode: 'edit' | 'view';
  /** The share-link token from the URL; null for accounts. */
  shareToken: string | null;
  user: UserSummary | null;
}
