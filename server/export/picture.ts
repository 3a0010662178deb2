/**
 * The timeline picture as SVG (our own drawing, server/export/timelineSvg.ts) and as PNG,
 * rasterised by resvg with the DejaVu Sans font shipped as a dependency and system fonts off, so
 * the picture is the same on every machine (resvg silently drops text it has no font for).
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import type { Briefing } from './briefing';
import { renderTimelineSvg, SVG_FONT_FAMILY } from './timelineSvg';
import type { ExportFormat } from './types';

const require = createRequire(import.meta.url);
export const FONT_FILES = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'),
];

/** The briefing for a picture inside a page that prints the handling line itself. */
export function withoutHandling(briefing: Briefing): Briefing {
  return { ...briefing, handling: undefined };
}

/** An SVG rasterised at `scale` times its size: RGBA pixels, and `asPng()`. */
export function rasteriseSvg(svg: string, width: number, scale = 1) {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width * scale },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: SVG_FONT_FAMILY },
    background: '#ffffff',
  });
  return resvg.render();
}

/** The picture as PNG bytes at `scale` (1 or 2) times its SVG size. */
export function renderTimelinePng(briefing: Briefing, scale = 1): Uint8Array {
  const { svg, width } = renderTimelineSvg(briefing);
  return rasteriseSvg(svg, width, scale).asPng();
}

export const svgFormat: ExportFormat = {
  id: 'svg',
  label: 'Picture (SVG)',
  extension: 'svg',
  contentType: 'image/svg+xml; charset=utf-8',
  render: ({ briefing }) => new TextEncoder().encode(renderTimelineSvg(briefing).svg),
};

export const pngFormat: ExportFormat = {
  id: 'png',
  offThread: true,
  label: 'Picture (PNG)',
  extension: 'png',
  contentType: 'image/png',
  render: ({ briefing, options }) => renderTimelinePng(briefing, options.scale),
};
