'use client';
/**
 * Settings: your account and API tokens (everyone); people, roles and invites (admins).
 * Secrets are shown once when created; the server keeps only their hashes.
 */
import Link from 'next/link';
import { useState } from 'react';
import { Role, type UserSummary } from '@/lib/access';
import { toSentence } from '@/lib/errors';
import { formatDay } from '@/lib/format';
import {
  useApiTokens,
  useChangePassword,
  useChangeRole,
  useCreateApiToken,
  useCreateInvite,
  useInvites,
  useRemoveUser,
  useRevokeApiToken,
  useRevokeInvite,
  useUsers,
} from '../access/accessApi';
import { SecretReveal } from '../access/SecretReveal';
import { UserMenu } from '../access/UserMenu';
import { FormError } from '../ui/FormError';

export function SettingsPage({ user }: { user: UserSummary }) {
  return (
    <main className="page settings">
      <header className="page-header with-menu">
        <div>
          <Link href="/" className="back-link">
            ← Timelines
          </Link>
          <h1>Settings</h1>
          <p className="subtitle">
            Signed in as {user.email}, {user.role}.
          </p>
        </div>
        <UserMenu user={user} />
      </header>
      {user.role === 'admin' && (
        <>
          <People self={user} />
          <Invites />
        </>
      )}
      <PasswordForm />
      <ApiTokens role={user.role} />
    </main>
  );
}

function People({ self }: { self: UserSummary }) {
  const users = useUsers();
  const changeRole = useChangeRole();
  const remove = useRemoveUser();
  const error = changeRole.error ?? remove.error ?? users.error;
  return (
    <section aria-labelledby="people-heading" data-testid="people">
      <h2 id="people-heading">People</h2>
      <p className="hint">
        Admins manage people and invites; editors edit every timeline and share links; viewers read.
        Changes apply at once, also to open pages.
      </p>
      {error && <FormError>{error.message}</FormError>}
      {users.data && (
        <table>
          <ActionTableHead columns={['Name', 'Email', 'Role', 'Joined']} />
          <tbody>
            {users.data.map((person) => (
              <tr key={person.id} data-user-email={person.email}>
                <td>{person.name}</td>
                <td>{person.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${person.name}`}
                    value={person.role}
                    disabled={changeRole.isPending}
                    onChange={(e) =>
                      changeRole.mutate({ userId: person.id, role: Role.parse(e.target.value) })
                    }
                  >
                    {Role.options.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{formatDay(person.createdAt)}</td>
                <td>
                  {person.id !== self.id && (
                    <button
                      type="button"
                      className="danger"
                      disabled={remove.isPending}
                      onClick={() => {
                        if (window.confirm(`Remove ${person.name}? They are signed out at once.`))
                          remove.mutate(person.id);
                      }}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Invites() {
  const invites = useInvites();
  const create = useCreateInvite();
  const revoke = useRevokeInvite();
  const [role, setRole] = useState<Role>('editor');
  const [days, setDays] = useState(7);
  const [created, setCreated] = useState<string | null>(null);
  const open = (invites.data ?? []).filter(
    (invite) => !invite.usedAt && Date.parse(invite.expiresAt) > Date.now(),
  );
  return (
    <section aria-labelledby="invites-heading" data-testid="invites">
      <h2 id="invites-heading">Invites</h2>
      <form
        className="row-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { role, expiresInDays: days },
            { onSuccess: (secret) => setCreated(secret.url ?? null) },
          );
        }}
      >
        <label>
          Role{' '}
          <select value={role} onChange={(e) => setRole(Role.parse(e.target.value))}>
            {Role.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expires after{' '}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[1, 3, 7, 14, 30].map((d) => (
              <option key={d} value={d}>
                {d} {d === 1 ? 'day' : 'days'}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create invite link
        </button>
      </form>
      {create.error && <FormError>{create.error.message}</FormError>}
      {created && (
        <SecretReveal
          label="Invite link"
          value={created}
          note="Send it to one person; it works once. It is shown only now."
          onDone={() => setCreated(null)}
        />
      )}
      {open.length > 0 && (
        <table>
          <ActionTableHead columns={['Role', 'Created', 'Expires']} />
          <tbody>
            {open.map((invite) => (
              <tr key={invite.id}>
                <td>{invite.role}</td>
                <td>{formatDay(invite.createdAt)}</td>
                <td>{formatDay(invite.expiresAt)}</td>
                <td>
                  <button type="button" onClick={() => revoke.mutate(invite.id)}>
                    Withdraw
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ApiTokens({ role }: { role: Role }) {
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  return (
    <section aria-labelledby="tokens-heading" data-testid="api-tokens">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="hint">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with your
        role ({role}) and stops working when revoked or when your account is removed.
      </p>
      <form
        className="row-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(name, {
            onSuccess: (secret) => {
              setCreated(secret.token);
              setName('');
            },
          });
        }}
      >
        <input
          aria-label="Token name"
          placeholder="What it is for, e.g. nightly export"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="primary" disabled={!name.trim() || create.isPending}>
          Create token
        </button>
      </form>
      {create.error && <FormError>{create.error.message}</FormError>}
      {created && (
        <SecretReveal
          label="New API token"
          value={created}
          note="Copy it now: it is shown only once."
          onDone={() => setCreated(null)}
        />
      )}
      {tokens.data && tokens.data.length > 0 && (
        <table>
          <ActionTableHead columns={['Name', 'Created', 'Last used']} />
          <tbody>
            {tokens.data.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>{formatDay(token.createdAt)}</td>
                <td>{formatDay(token.lastUsedAt)}</td>
                <td>
                  <button type="button" className="danger" onClick={() => revoke.mutate(token.id)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Column headings of a settings table; the last column holds each row's buttons. */
function ActionTableHead({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        <th scope="col">
          <span className="visually-hidden">Actions</span>
        </th>
      </tr>
    </thead>
  );
}

function PasswordForm() {
  const change = useChangePassword();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  return (
    <section aria-labelledby="password-heading" data-testid="password">
      <h2 id="password-heading">Your password</h2>
      <form
        className="row-form"
        onSubmit={(event) => {
          event.preventDefault();
          change.mutate(
            { currentPassword, newPassword },
            {
              onSuccess: () => {
                setCurrent('');
                setNew('');
              },
            },
          );
        }}
      >
        <input
          type="password"
          aria-label="Current password"
          placeholder="Current password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <input
          type="password"
          aria-label="New password"
          placeholder="New password (at least 8 characters)"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={200}
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
        />
        <button type="submit" className="primary" disabled={change.isPending}>
          Change password
        </button>
      </form>
      {change.error && <FormError>{toSentence(change.error.message)}</FormError>}
      {change.isSuccess && (
        <p className="hint" role="status">
          Password changed. Your other signed-in browsers have been signed out.
        </p>
      )}
    </section>
  );
}
