'use client';
/** The signed-in person in page headers: name, role, settings and sign-out. */
import Link from 'next/link';
import { useState } from 'react';
import type { UserSummary } from '@/lib/access';
import { signOut } from './accessApi';

export function UserMenu({ user }: { user: UserSummary }) {
  const [busy, setBusy] = useState(false);
  const handleSignOut = async () => {
    setBusy(true);
    try {
      await signOut();
    } finally {
      window.location.assign('/login');
    }
  };
  return (
    <div className="user-menu" data-testid="user-menu">
      <span className="user-name" title={user.email}>
        {user.name} <span className={`chip chip-role-${user.role}`}>{user.role}</span>
      </span>
      <Link href="/settings" className="button">
        Settings
      </Link>
      <button type="button" onClick={handleSignOut} disabled={busy}>
        Sign out
      </button>
    </div>
  );
}
