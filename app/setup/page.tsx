import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/access/AuthForm';
import { getViewer } from '../_lib/viewer';

export const metadata: Metadata = { title: 'Set up · Chronoboard' };

/** First visit to a fresh instance: create the first account, which becomes admin. */
export default async function SetupPage() {
  const { viewer } = await getViewer();
  if (!viewer.setupRequired) redirect(viewer.kind === 'user' ? '/' : '/login');
  const setupCodeRequired = viewer.kind === 'anonymous' && viewer.setupCodeRequired === true;
  return <AuthForm mode="setup" next="/" setupCodeRequired={setupCodeRequired} />;
}
