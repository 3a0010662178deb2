import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import 'vis-timeline/styles/vis-timeline-graph2d.min.css';
import './globals.css';
import { Providers } from '@/components/Providers';

export const metadata: Metadata = {
  title: 'Chronoboard',
  description: 'Real-time collaborative timelines for analyst teams',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
