/**
 * Readable log lines for `npm run dev` (LOG_FORMAT=pretty): the same JSON lines, turned into
 * `12:34:56.789 INFO  message  key=value …` as they are written. A dozen lines of our own instead of
 * pino-pretty and its dependencies, and it works wherever the app runs, dev dependencies or not.
 */

export interface LineSink {
  write(text: string): unknown;
}

/** A pino destination that writes each JSON line to `out` in readable form. */
export function createPrettyStream(out: LineSink = process.stdout): LineSink {
  return { write: (line: string) => out.write(`${prettyLine(line)}\n`) };
}

export function prettyLine(json: string): string {
  let entry: unknown;
  try {
    entry = JSON.parse(json);
  } catch {
    return json.trimEnd();
  }
  if (typeof entry !== 'object' || entry === null) return json.trimEnd();
  const { time, level, msg, name: _name, err, ...fields } = entry as Record<string, unknown>;
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${flat(value)}`);
  const head = [
    clock,
    String(level ?? '')
      .toUpperCase()
      .padEnd(5),
    String(msg ?? ''),
    ...pairs,
  ];
  const stack = (err as { stack?: unknown } | undefined)?.stack;
  return `${head.filter((part) => part !== '').join('  ')}${typeof stack === 'string' ? `\n${stack}` : ''}`;
}

function flat(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
