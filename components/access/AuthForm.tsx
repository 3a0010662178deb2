'use client';
/**
 * The three ways into Chronoboard: first-run setup (creates the admin), sign-in, and accepting an
 * invite. Each sets the httpOnly session cookie and then loads the next page in full, so the
 * server renders it for the signed-in person.
 */
import { useId, useState } from 'react';
import type { Role } from '@/lib/access';
import { toSentence } from '@/lib/errors';
import { FormError } from '../ui/FormError';
import { signIn } from './accessApi';

type Mode = 'setup' | 'login' | 'invite';

const TEXT: Record<Mode, { title: string; intro: string; submit: string; busy: string }> = {
  setup: {
    title: 'Set up Chronoboard',
    intro:
      'Create the first account. It becomes the admin of this workspace: you can then invite analysts and managers.',
    submit: 'Create admin account',
    busy: 'Creating…',
  },
  login: {
    title: 'Sign in',
    intro: 'Sign in to see and edit your team’s timelines.',
    submit: 'Sign in',
    busy: 'Signing in…',
  },
  invite: {
    title: 'Join Chronoboard',
    intro: '',
    submit: 'Create account',
    busy: 'Creating…',
  },
};

const ROLE_TEXT: Record<Role, string> = {
  admin: 'an admin (edit everything, manage people)',
  editor: 'an editor (edit timelines)',
  viewer: 'a viewer (read-only)',
};

export function AuthForm({
  mode,
  next,
  invite,
  setupCodeRequired = false,
}: {
  mode: Mode;
  next: string;
  invite?: { token: string; role: Role };
  /** Setup asks for the one-time code from the server's start-up log (reachable from the network). */
  setupCodeRequired?: boolean;
}) {
  const ids = useId();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [setupCode, setSetupCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const text = TEXT[mode];
  const withName = mode !== 'login';

  const handleSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'setup') {
        await signIn.setup({ email, name, password, ...(setupCodeRequired ? { setupCode } : {}) });
      } else if (mode === 'login') await signIn.login({ email, password });
      else await signIn.acceptInvite({ token: invite!.token, email, name, password });
      window.location.assign(next);
    } catch (err) {
      setError(toSentence((err as Error).message));
      setBusy(false);
    }
  };

  return (
    <main className="page narrow auth-page">
      <form className="auth-form" onSubmit={handleSubmit} data-testid={`${mode}-form`}>
        <h1>{text.title}</h1>
        <p className="subtitle">
          {mode === 'invite' && invite
            ? `You have been invited as ${ROLE_TEXT[invite.role]}. Choose your name and password.`
            : text.intro}
        </p>
        {mode === 'setup' && setupCodeRequired && (
          <>
            <label htmlFor={`${ids}-code`}>Setup code</label>
            <input
              id={`${ids}-code`}
              autoComplete="off"
              spellCheck={false}
              required
              maxLength={64}
              value={setupCode}
              onChange={(e) => setSetupCode(e.target.value)}
            />
            <p className="hint">
              This server is reachable from the network, so setup asks for the one-time code printed
              in its start-up log. Whoever runs the server can read it there.
            </p>
          </>
        )}
        <label htmlFor={`${ids}-email`}>Email</label>
        <input
          id={`${ids}-email`}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        {withName && (
          <>
            <label htmlFor={`${ids}-name`}>Your name (shown to others)</label>
            <input
              id={`${ids}-name`}
              autoComplete="name"
              required
              maxLength={60}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </>
        )}
        <label htmlFor={`${ids}-password`}>Password</label>
        <input
          id={`${ids}-password`}
          type="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          required
          minLength={withName ? 8 : 1}
          maxLength={200}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {withName && <p className="hint">At least 8 characters; a passphrase is best.</p>}
        {error && <FormError>{error}</FormError>}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? text.busy : text.submit}
        </button>
        {mode === 'login' && (
          <p className="hint">No account? Ask an admin of your workspace for an invite link.</p>
        )}
      </form>
    </main>
  );
}
