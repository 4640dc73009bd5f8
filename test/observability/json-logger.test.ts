/**
 * The logger Bolt is given: Bolt's `Logger` interface, written as one JSON object per line.
 */
import { LogLevel } from '@slack/logger';
import { pino } from 'pino';
import { createLogger } from '../../src/logger.js';
import { type AccessLine, formatAccessLine, isoTime } from '../../src/observability/access-log.js';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(level, {
    destination: { write: (text: string) => lines.push(JSON.parse(text) as Record<string, unknown>) },
  });
  return { logger, lines };
}

describe('the JSON logger', () => {
  it('writes one JSON object per line with an ISO time, the level as a word and the name', () => {
    const { logger, lines } = capture();
    logger.info('Listening on port', 3000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', name: 'cowsay-slack', msg: 'Listening on port 3000' });
    expect(new Date(String(lines[0]?.time)).toISOString()).toBe(lines[0]?.time);
  });

  it('honours the level, and setLevel / getLevel as Bolt uses them', () => {
    const { logger, lines } = capture('warn');
    logger.debug('hidden');
    logger.info('hidden');
    logger.warn('shown');
    expect(logger.getLevel()).toBe(LogLevel.WARN);
    logger.setLevel(LogLevel.DEBUG);
    logger.debug('now shown');
    expect(logger.getLevel()).toBe(LogLevel.DEBUG);
    expect(lines.map((line) => line.msg)).toEqual(['shown', 'now shown']);
  });

  it('takes the name Bolt gives it, keeping the level', () => {
    const { logger, lines } = capture('error');
    logger.setName('socket-mode:SocketModeClient:0');
    logger.warn('hidden');
    logger.error('named');
    expect(lines).toEqual([expect.objectContaining({ name: 'socket-mode:SocketModeClient:0', msg: 'named' })]);
  });

  it('puts an error in err with its stack, and objects in the message', () => {
    const { logger, lines } = capture();
    logger.error('A listener failed:', new RangeError('out of range'), { attempt: 2 });
    expect(lines[0]).toMatchObject({
      msg: 'A listener failed: out of range { attempt: 2 }',
      err: { type: 'RangeError', message: 'out of range' },
    });
    expect(String((lines[0]?.err as { stack?: unknown } | undefined)?.stack)).toContain('RangeError: out of range');
  });

  it('keeps hostile text inside the JSON string', () => {
    const { logger, lines } = capture();
    logger.warn('line one\n{"level":"error","msg":"forged"}\u0000\u202e😀');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toBe('line one\n{"level":"error","msg":"forged"}\u0000\u202e😀');
  });

  it('writes an access line with its fields at info level', () => {
    const { logger, lines } = capture();
    logger.access({ requestId: 'r'.repeat(20), method: 'GET', route: '/', status: 200, durationMs: 0.5 });
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'request', requestId: 'r'.repeat(20), route: '/' });
    expect(lines[0]).not.toHaveProperty('name');
  });
});

describe('formatAccessLine', () => {
  const line: AccessLine = {
    requestId: 'abc0123456789012345678901234',
    method: 'POST',
    route: '/slack/events',
    status: 200,
    durationMs: 1.234,
    command: '/cowsay',
    outcome: 'ok',
    teamId: 'T0TEAM',
  };

  it('writes what pino would write for the same fields', () => {
    const written: string[] = [];
    const reference = pino(
      {
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      { write: (text: string) => written.push(text) },
    );
    reference.info(line, 'request');
    const ours = formatAccessLine(line, String(JSON.parse(written[0] ?? '{}').time));
    expect(ours).toBe(written[0]);
  });

  it('leaves out the Slack fields of other requests', () => {
    const plain = { requestId: line.requestId, method: 'GET', route: '/', status: 404, durationMs: 0.05 };
    expect(JSON.parse(formatAccessLine(plain))).toEqual({
      level: 'info',
      time: expect.any(String),
      ...plain,
      msg: 'request',
    });
  });

  it('keeps hostile text inside its JSON strings', () => {
    const hostile = ['"},"level":"error', 'back\\slash\\"quote', '\u2028\u2029\u0000', '</script>'];
    for (const text of hostile) {
      const parsed = JSON.parse(
        formatAccessLine({ ...line, requestId: text, method: text, route: text, command: text, teamId: text }),
      );
      expect([parsed.requestId, parsed.method, parsed.route, parsed.command, parsed.teamId, parsed.level]).toEqual([
        text,
        text,
        text,
        text,
        text,
        'info',
      ]);
    }
  });
});

describe('isoTime', () => {
  it('formats like toISOString, milliseconds included, across second boundaries', () => {
    for (const ms of [
      0, 1, 9, 10, 99, 100, 999, 1000, 1_733_142_005_007, 1_733_142_005_999, 1_733_142_006_000, 4_102_444_799_999,
    ]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
