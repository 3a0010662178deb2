'use client';
/**
 * The timeline's own actions in the page header: duplicate (editors and admins) and delete
 * (admins, after confirmation). Both leave this page: for the copy, or for the timeline list.
 */
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { canWrite, type Role } from '@/lib/access';
import { toSentence } from '@/lib/errors';
import { useDeleteTimeline, useDuplicateTimeline } from '../../api/timelines';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';

export function TimelineActions({
  timelineId,
  title,
  role,
}: {
  timelineId: string;
  title: string;
  role: Role;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const duplicate = useDuplicateTimeline();
  const remove = useDeleteTimeline();
  const canDuplicate = canWrite(role);
  const canDelete = role === 'admin';

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: PointerEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('pointerdown', closeOutside);
    document.addEventListener('keydown', closeOnEscape);
    return () => {
      document.removeEventListener('pointerdown', closeOutside);
      document.removeEventListener('keydown', closeOnEscape);
    };
  }, [open]);

  if (!canDuplicate && !canDelete) return null;

  const handleDuplicate = async () => {
    setOpen(false);
    try {
      const copy = await duplicate.mutateAsync(timelineId);
      router.push(`/t/${encodeURIComponent(copy.id)}`);
    } catch {
      // Shown from duplicate.error below.
    }
  };

  const handleDelete = async () => {
    try {
      await remove.mutateAsync(timelineId);
      router.replace('/');
    } catch {
      // Shown in the dialog from remove.error.
    }
  };

  return (
    <div className="menu" ref={menuRef}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label="Timeline actions"
        title="Timeline actions"
        disabled={duplicate.isPending}
        onClick={() => setOpen((value) => !value)}
      >
        {duplicate.isPending ? 'Copying…' : '⋯'}
      </button>
      {open && (
        <div className="menu-items" role="menu" aria-label="Timeline actions">
          {canDuplicate && (
            <button type="button" role="menuitem" onClick={handleDuplicate}>
              Duplicate
            </button>
          )}
          {canDelete && (
            <button
              type="button"
              role="menuitem"
              className="danger"
              onClick={() => {
                setOpen(false);
                setConfirming(true);
              }}
            >
              Delete…
            </button>
          )}
        </div>
      )}
      {duplicate.error && (
        <span className="form-error" role="alert">
          {toSentence(`could not duplicate: ${duplicate.error.message}`)}
        </span>
      )}
      {confirming && (
        <Dialog
          title={`Delete “${title}”?`}
          onClose={() => setConfirming(false)}
          testId="delete-timeline"
        >
          <p>
            The timeline, its history and its share links are deleted for everyone. People who have
            it open are told it was deleted. This cannot be undone.
          </p>
          {remove.error && <FormError>{toSentence(remove.error.message)}</FormError>}
          <div className="dialog-actions">
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              disabled={remove.isPending}
              onClick={handleDelete}
            >
              {remove.isPending ? 'Deleting…' : 'Delete timeline'}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
