import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import 'vis-timeline/styles/vis-timeline-graph2d.min.css';
import './globals.css';
import { Providers } from '@/components/ui/Providers';

export const metadata: Metadata = {
  title: 'Chronoboard',
  description: 'Real-time collaborative timelines for analyst teams',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Render per request: the CSP nonce from proxy.ts is new for every response.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
