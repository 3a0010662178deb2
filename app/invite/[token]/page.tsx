import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthForm } from '@/components/access/AuthForm';
import { toSentence } from '@/lib/errors';
import { getServices } from '@/server/context';

export const metadata: Metadata = { title: 'Join · Chronoboard' };

/** An invite link: create an account with the role the admin chose. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  try {
    const invite = await getServices().access.previewInvite(token);
    return <AuthForm mode="invite" next="/" invite={{ token, role: invite.role }} />;
  } catch (error) {
    return (
      <main className="page narrow auth-page">
        <h1>This invite cannot be used</h1>
        <p role="alert">{toSentence((error as Error).message)}</p>
        <p>
          <Link href="/login">Sign in</Link> if you already have an account.
        </p>
      </main>
    );
  }
}
