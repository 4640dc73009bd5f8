import { requestIdFrom } from '../../src/observability/request-id.js';

describe('requestIdFrom', () => {
  it('keeps an id that looks like one (Heroku sends a UUID)', () => {
    expect(requestIdFrom('7b0c4b5e-3f5a-4c8e-9a51-1d2f3e4a5b6c')).toBe('7b0c4b5e-3f5a-4c8e-9a51-1d2f3e4a5b6c');
    expect(requestIdFrom('x'.repeat(200))).toBe('x'.repeat(200));
  });

  it.each([
    ['absent', undefined],
    ['too short', 'abc'],
    ['too long', 'x'.repeat(201)],
    ['a line break', `${'a'.repeat(20)}\nforged log line`],
    ['a space', `${'a'.repeat(20)} b`],
    ['non-ASCII', `${'a'.repeat(20)}é`],
  ])('makes a new one when the header is %s', (_what, header) => {
    const id = requestIdFrom(header);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(requestIdFrom(header)).not.toBe(id);
  });
});
