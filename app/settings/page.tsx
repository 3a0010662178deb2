import type { Metadata } from 'next';
import { SettingsPage } from '@/components/settings/SettingsPage';
import { requireUser } from '../_lib/viewer';

export const metadata: Metadata = { title: 'Settings · Chronoboard' };

/** People and invites (admins), and everyone's own API tokens. */
export default async function Page() {
  const user = await requireUser('/settings');
  return <SettingsPage user={user} />;
}
