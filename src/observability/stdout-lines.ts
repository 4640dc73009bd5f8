/**
 * Log lines to stdout, written once per turn of the event loop: under load several requests finish in one
 * turn, and their lines leave in one write instead of one write each (a write per line cost more than
 * building the line). Writes are asynchronous (sonic-boom), so a slow log reader never stalls a request;
 * what is still pending when the process exits is written synchronously on the way out.
 */
import { writeSync } from 'node:fs';
import { type DestinationStream, pino } from 'pino';

export function createStdoutLines(): DestinationStream {
  const stdout = pino.destination({ dest: 1, sync: false });
  // pino ends the stream when the event loop runs dry; a line after that is written directly.
  let closed = false;
  stdout.on('close', () => {
    closed = true;
  });
  let pending = '';
  const flush = () => {
    const text = pending;
    pending = '';
    if (closed) writeSync(1, text);
    else stdout.write(text);
  };
  process.on('exit', () => {
    if (pending === '') return;
    // What sonic-boom still holds goes first, so the lines stay in order.
    if (!closed) stdout.flushSync();
    writeSync(1, pending);
    pending = '';
  });
  return {
    write(line: string) {
      if (pending === '') setImmediate(flush);
      pending += line;
    },
  };
}
