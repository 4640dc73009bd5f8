/**
 * The dependency rules, read from the sources themselves: every file under src/ is scanned, so a new file or
 * folder is covered without being listed. A folder is one node; a file directly in src/ is a node of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Which folders may not import what: a folder name, or a package prefix such as `@slack/`. */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  http: ['slack', 'commands', '@slack/'],
  cowsay: ['slack', 'commands', 'http', '@slack/'],
  chat: ['slack', 'commands', 'http', '@slack/'],
};

interface Import {
  from: string;
  file: string;
  /** The node imported: a src/ folder, a src/ file, or a package name. */
  target: string;
  /** Inside src/ (a relative specifier), as opposed to a package or a Node built-in. */
  internal: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `chat` for src/chat/parse.ts, `app.ts` for src/app.ts. */
function nodeOf(path: string): string {
  const [first = '', ...rest] = relative(SRC, path).split(sep);
  return rest.length === 0 ? first.replace(/\.js$/, '.ts') : first;
}

const SPECIFIER = /\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOfText(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((match) => match[1] ?? match[2] ?? '');
}

function importsOf(file: string): Import[] {
  return importsOfText(readFileSync(file, 'utf8')).map((specifier) => {
    const internal = specifier.startsWith('.');
    const target = internal ? nodeOf(resolve(dirname(file), specifier)) : specifier;
    return { from: nodeOf(file), file: relative(SRC, file), target, internal };
  });
}

const imports = sourceFiles(SRC).flatMap(importsOf);

describe('dependency rules', () => {
  it('sees the imports it judges: static, type-only, re-exports and dynamic', () => {
    expect(imports).toContainEqual(expect.objectContaining({ from: 'app.ts', target: 'commands', internal: true }));
    expect(imports).toContainEqual(expect.objectContaining({ from: 'slack', target: '@slack/bolt', internal: false }));
    expect(
      importsOfText("import type {\n  A,\n} from './x.js';\nexport { b } from '../y/z.js';\nawait import('./w.js');"),
    ).toEqual(['./x.js', '../y/z.js', './w.js']);
  });

  it.each(Object.entries(FORBIDDEN))('%s/ imports none of %j', (folder, forbidden) => {
    const broken = imports
      .filter((entry) => entry.from === folder)
      .filter((entry) =>
        forbidden.some((rule) => (rule.endsWith('/') ? entry.target.startsWith(rule) : entry.target === rule)),
      )
      .map((entry) => `${entry.file} → ${entry.target}`);
    expect(broken).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const { from, target, internal } of imports) {
      if (internal && from !== target) edges.set(from, (edges.get(from) ?? new Set()).add(target));
    }
    expect(findCycle(edges)).toBeUndefined();
  });
});

/** A path that comes back to where it started, or `undefined`. */
function findCycle(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle !== undefined) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
