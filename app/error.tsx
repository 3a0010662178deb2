'use client';
/**
 * What a page shows when it cannot be rendered, e.g. while the database is unreachable and
 * sign-in cannot be checked. Messages of server errors are hidden by Next in production; the
 * digest ties this page to the server log.
 */
export default function ErrorPage({ error }: { error: Error & { digest?: string } }) {
  return (
    <main className="page narrow auth-page">
      <h1>This page could not be loaded</h1>
      <p role="alert">
        The server could not answer just now. If it was restarting or its database is unreachable,
        this passes on its own: retry in a moment. Edits you made in an open timeline are kept in
        your browser.
      </p>
      <p>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          Retry
        </button>
      </p>
      {error.digest && <p className="hint">Reference for the server log: {error.digest}</p>}
    </main>
  );
}
