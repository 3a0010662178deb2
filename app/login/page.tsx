import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/access/AuthForm';
import { getViewer, safeNext } from '../_lib/viewer';

export const metadata: Metadata = { title: 'Sign in · Chronoboard' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeNext((await searchParams).next);
  const { viewer } = await getViewer();
  if (viewer.setupRequired) redirect('/setup');
  if (viewer.kind === 'user') redirect(next);
  return <AuthForm mode="login" next={next} />;
}
