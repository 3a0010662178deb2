'use client';
/**
 * Share links of a timeline (editors and admins): create a view or edit link, optionally
 * expiring; see which links exist, who made them, and revoke them. Revoking closes every page
 * open with the link. A link whose maker was removed or demoted below its role shows as suspended.
 */
import { useId, useState } from 'react';
import type { LinkRole, ShareLinkSummary } from '@/lib/access';
import { formatDateTime } from '@/lib/format';
import { FormError } from '../ui/FormError';
import { PanelHeader } from '../ui/PanelHeader';
import { useCreateShareLink, useRevokeShareLink, useShareLinks } from './accessApi';
import { SecretReveal } from './SecretReveal';

const formatUtc = (date: Date) => `${formatDateTime(date)} UTC`;
const EXPIRY_CHOICES = [
  { value: '', label: 'Never' },
  { value: '1', label: '1 day' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
];

export function SharePanel({ timelineId, onClose }: { timelineId: string; onClose(): void }) {
  const ids = useId();
  const links = useShareLinks(timelineId, true);
  const create = useCreateShareLink(timelineId);
  const revoke = useRevokeShareLink(timelineId);
  const [role, setRole] = useState<LinkRole>('view');
  const [expiry, setExpiry] = useState('');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<string | null>(null);

  const handleCreate = (event: React.FormEvent) => {
    event.preventDefault();
    const days = Number(expiry);
    create.mutate(
      {
        role,
        label: label.trim() || undefined,
        expiresAt: days ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined,
      },
      {
        onSuccess: (secret) => {
          setCreated(secret.url ?? null);
          setLabel('');
        },
      },
    );
  };

  return (
    <aside className="panel share-panel" aria-label="Share" data-testid="share-panel">
      <PanelHeader title="Share" closeLabel="Close sharing" onClose={onClose} />
      <p className="hint">
        Anyone with a link can open this timeline without an account: a view link shows it live,
        read-only (for dashboards and managers); an edit link lets them edit it.
      </p>
      <form className="panel-fields" onSubmit={handleCreate}>
        <label htmlFor={`${ids}-role`} className="field-label">
          Access
        </label>
        <select
          id={`${ids}-role`}
          value={role}
          onChange={(e) => setRole(e.target.value === 'edit' ? 'edit' : 'view')}
        >
          <option value="view">Can view</option>
          <option value="edit">Can edit</option>
        </select>
        <label htmlFor={`${ids}-expiry`} className="field-label">
          Expires
        </label>
        <select id={`${ids}-expiry`} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRY_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-label`} className="field-label">
          Note (optional)
        </label>
        <input
          id={`${ids}-label`}
          placeholder="e.g. Managers' wall screen"
          value={label}
          maxLength={80}
          onChange={(e) => setLabel(e.target.value)}
        />
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create link'}
        </button>
      </form>
      {create.error && <FormError>Could not create the link: {create.error.message}</FormError>}
      {created && (
        <SecretReveal
          label="Share link"
          value={created}
          note="Copy it now: for safety it is shown only once. Revoke it below at any time."
          onDone={() => setCreated(null)}
        />
      )}
      {revoke.error && <FormError>Could not revoke the link: {revoke.error.message}</FormError>}
      {links.error && <FormError>Could not load the links: {links.error.message}</FormError>}
      {links.data && links.data.length > 0 && (
        <ul className="share-list" aria-label="Share links" data-testid="share-links">
          {links.data.map((link) => (
            <ShareLinkItem
              key={link.id}
              link={link}
              busy={revoke.isPending}
              onRevoke={() => revoke.mutate(link.id)}
            />
          ))}
        </ul>
      )}
    </aside>
  );
}

function makerName(maker: NonNullable<ShareLinkSummary['createdBy']>): string {
  return maker.name ?? 'a removed account';
}

function ShareLinkItem({
  link,
  busy,
  onRevoke,
}: {
  link: ShareLinkSummary;
  busy: boolean;
  onRevoke(): void;
}) {
  const detail =
    link.status === 'revoked'
      ? `revoked ${formatUtc(new Date(link.revokedAt!))}`
      : link.status === 'suspended'
        ? `suspended ${formatUtc(new Date(link.suspendedAt!))}${link.suspendedReason ? ` (${link.suspendedReason})` : ''}`
        : link.status === 'expired'
          ? `expired ${formatUtc(new Date(link.expiresAt!))}`
          : link.expiresAt
            ? `until ${formatUtc(new Date(link.expiresAt))}`
            : 'no expiry';
  return (
    <li
      className={`share-item${link.status === 'active' ? '' : ' inactive'}`}
      data-link-id={link.id}
      data-status={link.status}
    >
      <span>
        <span className={`chip chip-${link.role}`}>
          {link.role === 'edit' ? 'Can edit' : 'Can view'}
        </span>{' '}
        {link.label && <strong>{link.label} </strong>}
        <span className="muted">
          created {formatUtc(new Date(link.createdAt))}
          {link.createdBy && (
            <span data-testid="share-link-maker"> by {makerName(link.createdBy)}</span>
          )}{' '}
          · {detail}
        </span>
      </span>
      {/* A suspended link is revoked for good by an admin or editor; it never comes back. */}
      {(link.status === 'active' || link.status === 'suspended') && (
        <button type="button" className="danger" disabled={busy} onClick={onRevoke}>
          Revoke
        </button>
      )}
    </li>
  );
}
