/**
 * HTML found in imported text (TimelineJS slides) as plain text, and its links as candidate
 * sources. Parsed with htmlparser2, never rendered: user text is never HTML in Chronoboard.
 */
import { parseDocument } from 'htmlparser2';

type ChildNode = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<ChildNode, { attribs: unknown }>;

/** Elements after which the text continues on a new line. */
const BLOCKS = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'table',
  'section',
  'article',
  'header',
  'footer',
  'pre',
  'hr',
  'figure',
  'figcaption',
  'dd',
  'dt',
]);
/** Elements whose content is not text a reader sees. */
const SKIPPED = new Set(['script', 'style', 'template', 'iframe', 'object', 'noscript']);

export interface HtmlLink {
  url: string;
  text: string;
}

export interface PlainText {
  text: string;
  /** The http(s) links of the text, in order, each once. */
  links: HtmlLink[];
}

/** The text of an HTML fragment, with paragraphs on their own lines, and its web links. */
export function convertHtmlToText(html: string): PlainText {
  if (!/[<&]/.test(html)) return { text: html.trim(), links: [] };
  const document = parseDocument(html, { decodeEntities: true });
  const parts: string[] = [];
  const links: HtmlLink[] = [];
  const seen = new Set<string>();
  const walk = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        parts.push(node.data.replace(/\s+/g, ' '));
      } else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
        const element = node as Element;
        const name = element.name.toLowerCase();
        if (SKIPPED.has(name)) continue;
        const start = parts.length;
        walk(element.children);
        if (name === 'a') {
          const url = toWebUrl(element.attribs.href);
          if (url && !seen.has(url)) {
            seen.add(url);
            links.push({ url, text: parts.slice(start).join('').replace(/\s+/g, ' ').trim() });
          }
        }
        if (BLOCKS.has(name)) parts.push('\n');
      }
    }
  };
  walk(document.children);
  const text = parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
  return { text, links };
}

/** An absolute http(s) URL (protocol-relative ones get https), or undefined. */
export function toWebUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const candidate = trimmed.startsWith('//') ? `https:${trimmed}` : trimmed;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
