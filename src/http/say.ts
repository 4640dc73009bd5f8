/**
 * `GET /say/<message…>`: Cowsay as a Service. The path after `/say/` is the message (segments joined by
 * `/`), the query holds the options, and every value passes the same checks as the `/cowsay` options
 * before it reaches the same renderer with the same limits. Nothing here reads a file: a cow name only
 * selects an entry of the catalogue.
 */
import type { CowCatalog } from '../cowsay/cows.js';
import { builtInFortunes, type Fortunes } from '../cowsay/fortunes.js';
import { type CowsayOptions, checkColumns, checkCowName, checkFacePart, DEFAULT_OPTIONS } from '../cowsay/options.js';
import { type CowsayProblem, explainCowsayProblem, type Markup, quote } from '../cowsay/problems.js';
import { renderCow } from '../cowsay/render.js';
import { fail, ok, type Result } from '../result.js';

export const SAY_PATH = '/say';
export const DEFAULT_MESSAGE = 'moo';
export const SAY_PARAMETERS = ['f', 'e', 'T', 'think', 'W', 'fortune'] as const;

/** The cow, or why not in words for a web client. */
export type SayOutcome = Result<{ message: string; cow: string; cowName: string }, string>;

/** The renderer's reasons, worded for the web: quotes for code, and the cow list is on the index page. */
const WEB_MARKUP: Markup = {
  code: (text) => `"${text}"`,
  cowList: 'The cows are listed on the index page, GET /.',
  usage: 'See the index page, GET /.',
};

export function isSayPath(pathname: string): boolean {
  return pathname === SAY_PATH || pathname.startsWith(`${SAY_PATH}/`);
}

/**
 * Renders the cow for a `/say` request. `pathname` and `search` are as the URL parser left them: still
 * percent-encoded, so a malformed escape is found here (and refused) rather than silently replaced.
 * `?fortune` makes the cow say one of `fortunes` instead of a message.
 */
export function say(
  pathname: string,
  search: string,
  catalog: CowCatalog,
  fortunes: Fortunes = builtInFortunes(),
  random?: () => number,
): SayOutcome {
  const message = decodeMessage(pathname);
  if (message === undefined) return fail('The message is not valid percent-encoded UTF-8.');
  const options = parseQuery(search, catalog);
  if (!options.ok) return options;
  if (options.value.fortune && message.trim() !== '') {
    return fail('Give a message or ask for a fortune (?fortune), not both.');
  }
  const text = options.value.fortune ? fortunes.pick(random) : message.trim() === '' ? DEFAULT_MESSAGE : message;
  const rendered = renderCow(catalog, text, options.value.options);
  if (!rendered.ok) return fail(explain(rendered.error));
  const { cow, cowName, text: said } = rendered.value;
  return ok({ message: said, cow, cowName });
}

/** `/say/a/b%20c` → `a/b c`; `undefined` for a malformed escape or bytes that are not UTF-8. */
function decodeMessage(pathname: string): string | undefined {
  const raw = pathname.slice(SAY_PATH.length + 1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function explain(problem: CowsayProblem): string {
  return explainCowsayProblem(problem, WEB_MARKUP);
}

/** The options, and whether `?fortune` asks for a fortune instead of the message. */
function parseQuery(search: string, catalog: CowCatalog): Result<{ options: CowsayOptions; fortune: boolean }, string> {
  const seen = new Set<string>();
  let cow = DEFAULT_OPTIONS.cow;
  let eyes: string | undefined;
  let tongue: string | undefined;
  let think = false;
  let fortune = false;
  let columns = DEFAULT_OPTIONS.columns;

  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const name = decodeQueryPart(separator < 0 ? pair : pair.slice(0, separator));
    const value = decodeQueryPart(separator < 0 ? '' : pair.slice(separator + 1));
    if (name === undefined || value === undefined) return fail('The query is not valid percent-encoded UTF-8.');
    if (!isSayParameter(name)) {
      return fail(`Unknown query parameter ${quote(name)}. The options are ${SAY_PARAMETERS.join(', ')}.`);
    }
    // A repeated option is ambiguous (which one wins differs between frameworks), so it is refused.
    if (seen.has(name)) return fail(`The query parameter ${quote(name)} is given more than once.`);
    seen.add(name);

    switch (name) {
      case 'f': {
        const checked = checkCowName(value, catalog);
        if (!checked.ok) return fail(explain(checked.error));
        cow = checked.value;
        break;
      }
      case 'e':
      case 'T': {
        const checked = checkFacePart(value, name === 'e' ? 'eyes' : 'tongue');
        if (!checked.ok) return fail(explain(checked.error));
        if (name === 'e') eyes = checked.value;
        else tongue = checked.value;
        break;
      }
      case 'W': {
        const checked = checkColumns(value);
        if (!checked.ok) return fail(explain(checked.error));
        columns = checked.value;
        break;
      }
      case 'think':
      case 'fortune': {
        const flag = parseFlag(value);
        if (flag === undefined) return fail(`${name} must be true or false (got ${quote(value)}).`);
        if (name === 'think') think = flag;
        else fortune = flag;
        break;
      }
    }
  }
  return ok({ options: { ...DEFAULT_OPTIONS, cow, eyes, tongue, think, columns }, fortune });
}

function isSayParameter(name: string): name is (typeof SAY_PARAMETERS)[number] {
  return (SAY_PARAMETERS as readonly string[]).includes(name);
}

/** Form-style decoding (`+` is a space), strict about escapes, unlike `URLSearchParams`, which guesses. */
function decodeQueryPart(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** `?think`, `?think=1`, `?think=true`… switch it on; `0`, `false`, `no`, `off` switch it off. */
function parseFlag(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (['', '1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  return undefined;
}
