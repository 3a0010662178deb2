import { headers } from 'next/headers';
import { earlySocketScript } from './session/earlySocket';

/**
 * The inline script that opens a timeline's collaboration socket while the page's code loads
 * (`session/earlySocket.ts`). A server component: it carries the request's CSP nonce.
 */
export async function EarlySocketScript({
  timelineId,
  token,
}: {
  timelineId: string;
  token: string | null;
}) {
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <script
      nonce={nonce}
      // Our own source, built from JSON literals (earlySocketScript): no user text as markup.
      // biome-ignore lint/security/noDangerouslySetInnerHtml: a script's source, not user HTML
      dangerouslySetInnerHTML={{ __html: earlySocketScript(timelineId, token) }}
    />
  );
}
