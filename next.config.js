/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // NEXT_DIST_DIR lets two builds (e.g. parallel test runs) live side by side; default .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // For profiling the page (bench/profileOpen.ts): source maps of the browser bundles.
  productionBrowserSourceMaps: process.env.CHRONOBOARD_SOURCE_MAPS === '1',
  // Type-checking runs as its own step (`npm run typecheck`, part of `npm test`), so the build
  // does not type-check the whole project a second time.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages stay out of the bundles: route handlers reach the database through the
  // services object that server/main.ts registers, never by importing Prisma themselves.
  serverExternalPackages: ['@prisma/client', '@electric-sql/pglite', 'pg', 'ws'],
  // Hardening headers on every response; the Content-Security-Policy comes from proxy.ts
  // because it carries a per-request nonce.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          // Share links will carry tokens in URLs: never leak them to other sites.
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
