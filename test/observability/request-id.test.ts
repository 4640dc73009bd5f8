import { requestIdFrom } from '../../src/observability/request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('keeps 20 to 200 visible ASCII characters as they are', () => {
    for (const id of [
      'a'.repeat(20),
      'b'.repeat(200),
      '6f1c0e7a-58d4-4a87-9d1e-3c2b1a0f9e8d',
      '!"#$%&\'()*+,-./:;<=>?@[~]',
    ]) {
      expect(requestIdFrom(id)).toBe(id);
    }
  });

  it('replaces anything else with a fresh UUID', () => {
    const hostile = [
      undefined,
      '',
      'a'.repeat(19),
      'a'.repeat(201),
      'a'.repeat(100_000),
      'twenty characters with spaces',
      `${'a'.repeat(20)}\n{"level":"error"}`,
      `${'a'.repeat(20)}\u0000`,
      `${'a'.repeat(20)}\u007f`,
      `é${'a'.repeat(25)}`,
      `😀${'a'.repeat(25)}`,
      ['a'.repeat(25), 'b'.repeat(25)],
    ];
    const ids = hostile.map((header) => requestIdFrom(header));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
