import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found · Chronoboard' };

/** Any URL the app does not know: said plainly, in the app's style, with a way back. */
export default function NotFound() {
  return (
    <main className="page narrow not-found" data-testid="not-found">
      <p className="not-found-code" aria-hidden="true">
        404
      </p>
      <h1>Page not found</h1>
      <p className="subtitle">
        There is nothing at this address. The link may be incomplete, or what it pointed to was
        deleted.
      </p>
      <p className="not-found-actions">
        <Link href="/" className="button primary-link">
          ← Back to all timelines
        </Link>
      </p>
    </main>
  );
}
