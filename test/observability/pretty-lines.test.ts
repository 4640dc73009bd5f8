import { createPrettyStream, prettyLine } from '../../src/observability/pretty-lines.js';

describe('prettyLine', () => {
  it('puts the time, level and message first, then the fields', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2025-03-04T12:34:56.789Z',
      requestId: 'r-1',
      method: 'GET',
      route: '/say',
      status: 200,
      durationMs: 1.25,
      msg: 'request',
    });
    expect(prettyLine(line)).toBe(
      '12:34:56.789  INFO   request  requestId=r-1  method=GET  route=/say  status=200  durationMs=1.25',
    );
  });

  it('drops the logger name and prints an error stack below the line', () => {
    const line = JSON.stringify({
      level: 'error',
      time: '2025-03-04T12:34:56.789Z',
      name: 'cowsay-slack',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at here' },
      msg: 'A listener failed',
    });
    expect(prettyLine(line)).toBe('12:34:56.789  ERROR  A listener failed\nError: boom\n    at here');
  });

  it('passes through what is not a JSON object', () => {
    for (const text of ['plain text\n', '42\n', 'null\n', '{"broken":\n', '']) {
      expect(prettyLine(text)).toBe(text.trimEnd());
    }
  });

  it('writes one readable line per JSON line', () => {
    const written: string[] = [];
    const stream = createPrettyStream({ write: (text) => written.push(text) });
    stream.write('{"level":"warn","time":"2025-03-04T00:00:01.000Z","msg":"careful","nested":{"a":[1]}}\n');
    expect(written).toEqual(['00:00:01.000  WARN   careful  nested={"a":[1]}\n']);
  });
});
