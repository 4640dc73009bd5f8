/**
 * `npm run bench:render`: what the worst accepted inputs cost the CPU, against the previous implementation
 * in the same run.
 *
 * Part 1 renders cows from 2,000 random code points of the hardest kinds (random wide text defeats any cache
 * of clusters) at `-W 10`, the most lines, with the current renderer and with the previous one: the same
 * built renderer copied next to this script with bench/reference-text.ts in place of its text measurement.
 * Part 2 shortens a `/chat list 50` of 1,000-character messages, current code against
 * bench/reference-shorten.ts. Every round draws new text and runs both, in alternating order; the tables give
 * the median, 95th percentile and slowest round in CPU milliseconds, and whether both produced the same
 * output. "Never seen before" hands out each code point once, the worst case for the current code, which
 * learns each code point's facts once per process.
 *
 * Knobs (environment): BENCH_RENDER_ROUNDS (counted rounds per input, default 40), BENCH_RENDER_WARMUP
 * (uncounted rounds before them, default 5).
 */
import { copyFileSync, cpSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fitBodies, listText, REPLY_BODY_BUDGET } from '../src/commands/chat-reply.js';
import { type CowCatalog, loadCowCatalog } from '../src/cowsay/cows.js';
import { DEFAULT_OPTIONS } from '../src/cowsay/options.js';
import { renderCow } from '../src/cowsay/render.js';
import type { StoredMessage } from '../src/store/message-store.js';
import { referenceFitBodies } from './reference-shorten.js';
import { formatNumber, markdownTable, median, progress } from './report.js';

type Render = typeof renderCow;

interface Case {
  name: string;
  make: () => string;
}

function knob(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}
const rounds = knob('BENCH_RENDER_ROUNDS', 40, 1, 10_000);
const warmup = knob('BENCH_RENDER_WARMUP', 5, 0, 1000);

const int = (max: number) => Math.floor(Math.random() * max);
const pick = (pool: readonly number[]) => pool[int(pool.length)] ?? 0x20;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const matching = (pattern: RegExp, from: number, to: number) =>
  range(from, to).filter((codePoint) => pattern.test(String.fromCodePoint(codePoint)));

const CJK = range(0x4e00, 0x9fff);
const EMOJI = matching(/^(?!\p{Emoji_Component})\p{Emoji_Presentation}$/u, 0x2000, 0x1faff);
const TEXT_EMOJI = matching(/^(?![\d#*])\p{Emoji}$/u, 0xa9, 0x1faff).filter((cp) => !EMOJI.includes(cp));
const PICTOGRAPHS = matching(/^\p{Extended_Pictographic}$/u, 0x2000, 0x1faff);
const MARKS = matching(/^\p{Mn}$/u, 0x300, 0xffff);
const BMP = range(0x20, 0xffff).filter((cp) => cp < 0xd800 || cp > 0xdfff);
/** Ideographs of planes 2 and 3 in random order, handed out once: text no cache or table has seen. */
const UNSEEN = matching(/^\p{Script=Han}$/u, 0x20000, 0x323af).sort(() => Math.random() - 0.5);
let unseenAt = 0;
const unseen = () => [UNSEEN[unseenAt++ % UNSEEN.length] ?? 0x20000];

/** `count` code points, `unit` code points at a time. */
function text(count: number, unit: () => number[]): string {
  const codePoints: number[] = [];
  while (codePoints.length < count) codePoints.push(...unit());
  return String.fromCodePoint(...codePoints.slice(0, count));
}

const MAX = 2000;
const CASES: readonly Case[] = [
  { name: '1,800 random CJK (a /say URL)', make: () => text(1800, () => [pick(CJK)]) },
  { name: '2,000 random CJK', make: () => text(MAX, () => [pick(CJK)]) },
  { name: '2,000 CJK never seen before', make: () => text(MAX, unseen) },
  { name: '2,000 random emoji', make: () => text(MAX, () => [pick(EMOJI)]) },
  { name: 'emoji ZWJ sequences', make: () => text(MAX, () => [pick(PICTOGRAPHS), 0x200d, pick(PICTOGRAPHS)]) },
  { name: 'text-style emoji + VS16', make: () => text(MAX, () => [pick(TEXT_EMOJI), 0xfe0f]) },
  { name: 'letters + random marks', make: () => text(MAX, () => [0x61 + int(26), pick(MARKS)]) },
  {
    name: 'Hangul jamo L+V+T',
    make: () => text(MAX, () => [0x1100 + int(19), 0x1161 + int(21), 0x11a8 + int(27)]),
  },
  { name: 'flags (regional indicator pairs)', make: () => text(MAX, () => [0x1f1e6 + int(26), 0x1f1e6 + int(26)]) },
  { name: 'random BMP code points', make: () => text(MAX, () => [pick(BMP)]) },
];

/** The built renderer, copied with the previous text measurement in place of the current one. */
async function loadReferenceRender(): Promise<Render> {
  const built = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));
  const copy = (path: string) => fileURLToPath(new URL(`../reference/${path}`, import.meta.url));
  rmSync(copy(''), { recursive: true, force: true });
  cpSync(built('cowsay'), copy('cowsay'), { recursive: true });
  cpSync(built('text'), copy('text'), { recursive: true });
  copyFileSync(built('result.js'), copy('result.js'));
  copyFileSync(fileURLToPath(new URL('./reference-text.js', import.meta.url)), copy('cowsay/text.js'));
  const module = (await import(pathToFileURL(copy('cowsay/render.js')).href)) as { renderCow: Render };
  return module.renderCow;
}

/**
 * CPU time, not wall time: on a shared machine a render can wait for a core for tens of milliseconds, which
 * says nothing about its cost. It is the whole process's, so GC and compiler threads count too.
 */
function timed<T>(run: () => T): { ms: number; result: T } {
  // An empty young generation first (npm runs this with --expose-gc), so no side pays for the garbage of
  // the other or of the input's making; a render still pays for the collections its own allocations cause.
  (globalThis.gc as ((options: { type: 'minor' }) => void) | undefined)?.({ type: 'minor' });
  const start = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, result };
}

interface Figures {
  previous: number[];
  current: number[];
  same: boolean;
}

/**
 * Runs both sides on fresh inputs, alternating which goes first; the warm-up rounds let the JIT settle
 * (a served process has compiled these paths long before an attack) and are not counted.
 */
function compare<I, O>(make: () => I, previous: (input: I) => O, current: (input: I) => O): Figures {
  const figures: Figures = { previous: [], current: [], same: true };
  for (let round = -warmup; round < rounds; round++) {
    const input = make();
    const sides = round % 2 === 0 ? ([previous, current] as const) : ([current, previous] as const);
    const [first, second] = sides.map((side) => timed(() => side(input)));
    const [old, now] = round % 2 === 0 ? [first, second] : [second, first];
    if (old === undefined || now === undefined || round < 0) continue;
    figures.previous.push(old.ms);
    figures.current.push(now.ms);
    if (JSON.stringify(old.result) !== JSON.stringify(now.result)) figures.same = false;
  }
  return figures;
}

const ms = (value: number) => `${formatNumber(value, 2)} ms`;

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

function row(name: string, figures: Figures): string[] {
  const before = median(figures.previous);
  const after = median(figures.current);
  return [
    name,
    ms(before),
    ms(percentile(figures.previous, 0.95)),
    ms(Math.max(...figures.previous)),
    ms(after),
    ms(percentile(figures.current, 0.95)),
    ms(Math.max(...figures.current)),
    `${formatNumber(before / after, 0)}×`,
    figures.same ? 'yes' : 'NO',
  ];
}

const HEADER = ['input', 'before p50', 'p95', 'max', 'after p50', 'p95', 'max', 'p50 speed-up', 'same output'];

function renderPart(catalog: CowCatalog, reference: Render): string {
  const options = { ...DEFAULT_OPTIONS, columns: 10 };
  const rows = CASES.map((testCase) => {
    progress(`render: ${testCase.name}`);
    const figures = compare(
      testCase.make,
      (input) => reference(catalog, input, options),
      (input) => renderCow(catalog, input, options),
    );
    return row(testCase.name, figures);
  });
  return markdownTable(HEADER, rows);
}

const MESSAGE_KINDS: readonly Case[] = [
  { name: 'ASCII letters', make: () => text(1000, () => [0x61 + int(26)]) },
  { name: 'random CJK', make: () => text(1000, () => [pick(CJK)]) },
  { name: '`&` (each escapes to 5)', make: () => '&'.repeat(1000) },
  { name: 'backticks', make: () => '`'.repeat(1000) },
  { name: 'letters + random marks', make: () => text(1000, () => [0x61 + int(26), pick(MARKS)]) },
  { name: 'emoji ZWJ sequences', make: () => text(1000, () => [pick(PICTOGRAPHS), 0x200d, pick(PICTOGRAPHS)]) },
];

function boardOf(make: () => string): string[] {
  return Array.from({ length: 50 }, make);
}

function chatPart(): string {
  const rows = MESSAGE_KINDS.map((kind) => {
    progress(`/chat list 50: ${kind.name}`);
    const figures = compare(
      () => boardOf(kind.make),
      (board) => referenceFitBodies(board, REPLY_BODY_BUDGET),
      (board) => fitBodies(board, REPLY_BODY_BUDGET),
    );
    return row(`50 × 1,000 ${kind.name}`, figures);
  });
  const messages: StoredMessage[] = boardOf(() => text(1000, () => [pick(CJK)])).map((body, index) => ({
    id: index + 1,
    userId: 'U0BENCH',
    text: body,
    createdAt: new Date(),
  }));
  const whole = Array.from({ length: rounds }, () => timed(() => listText(messages, 50)).ms);
  return `${markdownTable(HEADER, rows)}\n\nThe whole \`/chat list 50\` reply (CJK board), current code: p50 ${ms(median(whole))}, max ${ms(Math.max(...whole))}.`;
}

async function main(): Promise<void> {
  const catalog = await loadCowCatalog();
  const reference = await loadReferenceRender();
  console.log(`Render at -W 10, ${rounds} rounds per input, CPU time per render, Node ${process.version}\n`);
  console.log(renderPart(catalog, reference));
  console.log('\n`/chat list 50`: shortening 50 messages of 1,000 characters to the reply budget\n');
  console.log(chatPart());
}

await main();
