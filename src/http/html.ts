/**
 * The HTML shell shared by the index page and the `/say` page: one stylesheet, no external assets, and
 * a Content-Security-Policy that allows exactly that stylesheet (by its hash) and nothing else, so the
 * pages render offline and injected markup could neither run script nor load anything.
 */
import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sendBody } from './respond.js';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * A template tag that HTML-escapes every interpolated value unless it is already {@link Html}, so a page
 * cannot forget to escape one: `html\`<p>${userText}</p>\``.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | readonly HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Html(out);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/**
 * Warm cow colours, light and dark. The page uses system fonts only: a web font would be an external
 * asset (or a large inline one), and the art needs nothing but a monospace font.
 */
const STYLESHEET = `
:root { color-scheme: light dark; --bg: #fbf7ef; --fg: #2b2118; --muted: #6d5c4b; --card: #fffdf8;
  --line: #e6dccb; --accent: #8a4b1f; --code: #f3ecdf; }
@media (prefers-color-scheme: dark) { :root { --bg: #1d1915; --fg: #efe7dc; --muted: #b3a290; --card: #26211c;
  --line: #3b332b; --accent: #f0a867; --code: #2f2923; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 2.5rem 1.25rem 3rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .25rem; letter-spacing: -.01em; }
h2 { font-size: 1.15rem; margin: 2.25rem 0 .75rem; }
.tagline { color: var(--muted); margin: 0 0 1.5rem; }
a { color: var(--accent); }
pre.cow { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1.25rem 1.5rem;
  overflow-x: auto; font: 15px/1.25 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  box-shadow: 0 1px 2px rgb(0 0 0 / .04), 0 6px 24px rgb(60 40 20 / .06); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .92em;
  background: var(--code); padding: .1em .35em; border-radius: 5px; overflow-wrap: anywhere; }
td code { white-space: nowrap; overflow-wrap: normal; }
pre.cmd { background: var(--code); border-radius: 8px; padding: .75rem 1rem; font-size: .88rem;
  white-space: pre-wrap; overflow-wrap: anywhere;
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line);
  border-radius: 12px; overflow: hidden; }
th, td { text-align: left; vertical-align: top; padding: .6rem .85rem; border-bottom: 1px solid var(--line); }
tr:last-child td { border-bottom: 0; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 600; }
td:first-child { white-space: nowrap; }
.error { border-left: 4px solid var(--accent); background: var(--card); padding: .85rem 1rem; border-radius: 8px; }
details { margin-top: .75rem; }
summary { cursor: pointer; color: var(--accent); }
.cows { columns: 10rem; font-size: .9rem; margin: .75rem 0 0; padding: 0; list-style: none; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .9rem; }
`;

const STYLE_HASH = createHash('sha256').update(STYLESHEET).digest('base64');

/**
 * Sent with every page. `default-src 'none'` forbids scripts, frames, fonts and connections; the one
 * stylesheet is allowed by hash; `img-src data:` is for the inline favicon (without one, browsers ask for
 * /favicon.ico and log the 404 as an error).
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'%3E%3Ctext y='.9em' " +
  "font-size='90'%3E%F0%9F%90%84%3C/text%3E%3C/svg%3E";

export function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="${FAVICON}">
<style>${new Html(STYLESHEET)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.value;
}

export const HTML = 'text/html; charset=utf-8';

/** Sends a page (a string, or a Buffer cached by the caller) with the policy that lets its stylesheet apply. */
export function sendHtml(
  response: ServerResponse,
  status: number,
  page: string | Buffer,
  headers?: OutgoingHttpHeaders,
): void {
  sendBody(response, status, HTML, page, { ...headers, 'Content-Security-Policy': PAGE_CONTENT_SECURITY_POLICY });
}
