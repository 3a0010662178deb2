/**
 * Content-Security-Policy with a per-request nonce (Next.js "proxy", formerly middleware). Next
 * reads the nonce from the request's CSP header and puts it on its own scripts; 'strict-dynamic'
 * extends trust to the chunks those scripts load. Nothing else can run: user text rendered as HTML
 * by mistake still could not execute script.
 */
import { type NextRequest, NextResponse } from 'next/server';

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV === 'development';
  const policy = [
    "default-src 'self'",
    // React's development build needs eval for its debugging helpers; production does not.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // vis-timeline positions items with inline styles, and React sets style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // The collaboration websocket is same-origin ('self' covers ws:/wss: to this host).
    "connect-src 'self'",
    // The first view of a big timeline is read in a worker (components/timeline/session/preview.ts).
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Pages only: API routes return JSON, static assets are immutable files.
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|icon.svg).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
