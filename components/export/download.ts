/**
 * Fetches an export and saves it under the name the server gave it (Content-Disposition), so the
 * dialog can show progress and errors instead of handing a URL to the browser blindly.
 */

/** The file name of a Content-Disposition header: `filename*` (UTF-8) first, else `filename`. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1]) return decodeURIComponent(extended[1]);
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? null;
}

/** Downloads `url` and saves it; resolves with the file name, rejects with the server's message. */
export async function downloadExport(url: string, shareToken: string | null): Promise<string> {
  const response = await fetch(url, {
    headers: shareToken ? { authorization: `Bearer ${shareToken}` } : {},
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `Export failed (${response.status})`);
  }
  const fileName = fileNameOf(response.headers.get('content-disposition')) ?? 'export';
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the browser has taken the click.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return fileName;
}
