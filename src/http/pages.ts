/**
 * The two HTML pages: the index (a cow, what this is, the routes and commands) and
 * the `/say` page (the cow in an escaped `<pre>`). Every value is interpolated through the `html` tag,
 * which escapes it.
 */
import type { CowCatalog } from '../cowsay/cows.js';
import { DEFAULT_OPTIONS, MODE_LETTERS } from '../cowsay/options.js';
import { renderCow } from '../cowsay/render.js';
import { shorten } from '../text/shorten.js';
import { escapeHtml, type Html, html, page } from './html.js';

export interface IndexPageOptions {
  catalog: CowCatalog;
  /** In Socket Mode Slack's requests arrive over the socket and `POST /slack/events` is not served. */
  socketMode: boolean;
}

const GREETING = "Moo! I'm Cowsay for Slack, and I'm up.";
/** Stands for the origin while the page is rendered once; a private-use character no section contains. */
const ORIGIN_SLOT = '\u{F8FF}';

/**
 * The index page for a given origin (see `originOf` in routes.ts), rendered once: only the origin in the
 * examples differs between requests, so it is spliced into the cached parts, and the last page built is
 * kept as a Buffer that every response for that origin shares.
 */
export function createIndexPage(options: IndexPageOptions): (origin: string) => Buffer {
  const parts = indexPage(options, ORIGIN_SLOT)
    .split(ORIGIN_SLOT)
    .map((part) => Buffer.from(part));
  let last: { origin: string; page: Buffer } | undefined;
  return (origin) => {
    if (last?.origin !== origin) {
      const escaped = Buffer.from(escapeHtml(origin));
      last = { origin, page: Buffer.concat(parts.flatMap((part, index) => (index === 0 ? [part] : [escaped, part]))) };
    }
    return last.page;
  };
}

function indexPage({ catalog, socketMode }: IndexPageOptions, origin: string): string {
  const rendered = renderCow(catalog, GREETING, DEFAULT_OPTIONS);
  const cow = rendered.ok ? rendered.value.cow : GREETING;
  return page(
    'Cowsay for Slack',
    html`<h1>Cowsay for Slack</h1>
<p class="tagline">The classic ASCII cow, in your Slack workspace and on the web.</p>
<pre class="cow">${cow}</pre>
<p>A Slack app with two slash commands: <code>/cowsay</code> posts your text as the classic cow, and <code>/chat</code>
keeps a small message board in every channel. It grew out of <em>Cowsay as a Service</em>, a little web service whose
API still answers here: ask <code>/say</code> for a cow as a web page, plain text or JSON.</p>
${routesSection(socketMode)}
${sayOptionsSection(origin, catalog)}
${commandsSection()}`,
  );
}

function routesSection(socketMode: boolean): Html {
  const slackRoute = socketMode
    ? html`<tr><td><code>POST /slack/events</code></td><td>Not served: this instance runs in Socket Mode, so Slack
sends slash commands over a WebSocket the app opened.</td></tr>`
    : html`<tr><td><code>POST /slack/events</code></td><td>Slack's slash commands. Every request must carry a valid
Slack signature; anything else is refused with 401.</td></tr>`;
  return html`<h2>Routes</h2>
<table>
<thead><tr><th>Route</th><th>What it does</th></tr></thead>
<tbody>
<tr><td><code>GET /</code></td><td>This page.</td></tr>
<tr><td><code>GET /say/&lt;message…&gt;</code></td><td>The cow says the message (<a href="/say/Hello%2C%20world">try it</a>,
or <a href="/say/Here%20be%20dragons?f=dragon&amp;W=20">with a dragon</a>). Several path segments join with
<code>/</code>; no message says “moo”. <code>Accept: text/plain</code> gets the bare cow,
<code>Accept: application/json</code> gets <code>{"message": [lines…]}</code>, anything else this kind of page.</td></tr>
<tr><td><code>GET /healthz</code></td><td><code>200 {"status":"ok"}</code> while the message store answers,
<code>503</code> with the reason when it does not.</td></tr>
${slackRoute}
</tbody>
</table>`;
}

function sayOptionsSection(origin: string, catalog: CowCatalog): Html {
  return html`<h2>Options for <code>/say</code></h2>
<table>
<thead><tr><th>Query</th><th>Meaning</th></tr></thead>
<tbody>
<tr><td><code>f=NAME</code></td><td>Which cow, by name (case-insensitive); the list is below.</td></tr>
<tr><td><code>e=EYES</code>, <code>T=TONGUE</code></td><td>Eyes and tongue, at most 2 columns each (one emoji, or two letters).</td></tr>
<tr><td><code>think</code></td><td>A thought bubble instead of speech (<code>think=false</code> to turn it off).</td></tr>
<tr><td><code>W=N</code></td><td>Wrap width, 10 to 80 columns (default 40).</td></tr>
<tr><td><code>fortune</code></td><td>The cow says a random fortune instead of a message (<a href="/say?fortune">try it</a>).</td></tr>
</tbody>
</table>
<p>From a terminal:</p>
<pre class="cmd">curl -H 'Accept: text/plain' '${origin}/say/hello?f=tux'
curl -H 'Accept: application/json' '${origin}/say/hello'</pre>
<details>
<summary>All ${catalog.names.length} cows</summary>
<ul class="cows">${catalog.names.map((name) => html`<li><a href="/say/${name}?f=${name}">${name}</a></li>`)}</ul>
</details>`;
}

function commandsSection(): Html {
  return html`<h2>Slash commands</h2>
<table>
<thead><tr><th>Command</th><th>What it does</th></tr></thead>
<tbody>
<tr><td><code>/cowsay [options] &lt;text&gt;</code></td><td>Posts the cow to the channel. Options like the original:
<code>-f dragon</code>, <code>-e ^^</code>, <code>-T U</code>, <code>${MODE_LETTERS.map((letter) => `-${letter}`).join(' ')}</code>, <code>--think</code>,
<code>-W 30</code>, <code>-n</code>, <code>-r</code>; <code>-F</code> for a fortune, <code>-P</code> to see it first with
Send, Shuffle and Cancel buttons. <code>/cowsay help</code> and <code>/cowsay list</code> answer only you.</td></tr>
<tr><td>Cowsay this</td><td>On any message, under More actions: the cow says that message, in its thread.</td></tr>
<tr><td><code>/chat &lt;text&gt;</code></td><td>Posts a message to this channel's board.</td></tr>
<tr><td><code>/chat list [N]</code></td><td>The board's latest messages (10 by default, at most 50).</td></tr>
<tr><td><code>/chat delete &lt;id&gt;</code></td><td>Deletes one of your own messages.</td></tr>
</tbody>
</table>

<footer>No Slack workspace yet? Run <code>npm run slash -- /cowsay -f dragon hello</code> beside the running app: it signs
the command the way Slack does and prints the reply.</footer>`;
}

/** `url` is this page's own address, for the same cow from a terminal. */
export function sayPage(message: string, cow: string, url: string): string {
  // Single-quoted for the shell, so a quote in the path is escaped for the URL instead.
  const quoted = `'${url.replace(/'/g, '%27')}'`;
  return page(
    `Cowsay: ${shorten(message, 60)}`,
    html`<h1>Cowsay as a Service</h1>
<p class="tagline"><a href="/">Cowsay for Slack</a> · the cow says what the URL says.</p>
<pre class="cow">${cow}</pre>
<p>The same cow from a terminal, as plain text or as JSON:</p>
<pre class="cmd">curl -H 'Accept: text/plain' ${quoted}
curl -H 'Accept: application/json' ${quoted}</pre>
<p>Options: <code>f</code> (the cow), <code>e</code> (eyes), <code>T</code> (tongue), <code>think</code> and <code>W</code>
(wrap width), e.g. <a href="/say/Here%20be%20dragons?f=dragon&amp;W=20">?f=dragon&amp;W=20</a>. More on
<a href="/">the index page</a>.</p>`,
  );
}

export function errorPage(status: number, reason: string): string {
  return page(
    `Cowsay: ${status}`,
    html`<h1>The cow can't say that</h1>
<p class="tagline"><a href="/">Cowsay for Slack</a> · ${status}</p>
<p class="error">${reason}</p>
<p>The message goes in the path (<code>/say/hello%20world</code>) and the options in the query: <code>f</code> (the cow),
<code>e</code> (eyes), <code>T</code> (tongue), <code>think</code> and <code>W</code> (wrap width). See
<a href="/">the index page</a> for the cows and examples.</p>`,
  );
}
