'use client';
/**
 * A short message at the bottom of the page, with at most one action ("Undo"). It is announced
 * politely to screen readers and goes away by itself, or when its action or × is pressed.
 */
import { useEffect } from 'react';

export interface ToastMessage {
  /** Changes whenever a new message replaces the current one (restarts the timer). */
  id: number;
  text: string;
  action?: { label: string; run(): void };
}

/** Long enough to read the message and reach for the button. */
const SHOWN_MS = 8_000;

export function Toast({
  toast,
  onDismiss,
}: {
  toast: ToastMessage | null;
  onDismiss(id: number): void;
}) {
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => onDismiss(toast.id), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);
  // The live region stays mounted so screen readers announce each new message.
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div className="toast" data-testid="toast">
          <span>{toast.text}</span>
          {toast.action && (
            <button
              type="button"
              className="toast-action"
              onClick={() => {
                toast.action?.run();
                onDismiss(toast.id);
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => onDismiss(toast.id)}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}
