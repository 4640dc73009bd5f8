import {
  codeBlock,
  decodeEntities,
  encodeEntities,
  inChannelCodeBlock,
  SECTION_TEXT_LIMIT,
  somethingWentWrong,
} from '../../src/slack/format.js';

describe('Slack text formatting', () => {
  it('decodes the three entities Slack sends, in a single pass', () => {
    expect(decodeEntities('a &amp; b &lt;c&gt;')).toBe('a & b <c>');
    // A user who typed "&lt;" literally arrives as "&amp;lt;" and must get "&lt;" back, not "<".
    expect(decodeEntities('&amp;lt;!channel&amp;gt;')).toBe('&lt;!channel&gt;');
    expect(decodeEntities('&quot; &#60; &nbsp;')).toBe('&quot; &#60; &nbsp;');
  });

  it('escapes mentions, broadcasts and links so they stay inert', () => {
    expect(encodeEntities('<!channel> <!here> <@U123> <https://evil.example|click> a&b')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; a&amp;b',
    );
  });

  it('keeps any backtick run inside a code block from closing it', () => {
    const block = codeBlock('before ``` after ```` end');
    const inner = block.slice(4, -4);
    expect(block.startsWith('```\n')).toBe(true);
    expect(block.endsWith('\n```')).toBe(true);
    expect(inner).not.toMatch(/``/);
    expect(inner.replace(/\u200b/g, '')).toBe('before ``` after ```` end');
  });

  it('refuses (rather than truncates) a code block over the section limit', () => {
    const fits = 'x'.repeat(SECTION_TEXT_LIMIT - 8);
    expect(inChannelCodeBlock(fits, 'fallback')?.blocks?.[0]?.text.text.length).toBe(SECTION_TEXT_LIMIT);
    expect(inChannelCodeBlock(`${fits}x`, 'fallback')).toBeUndefined();
    // Escaping grows the text: 600 ampersands become 3,000 characters.
    expect(inChannelCodeBlock('&'.repeat(600), 'fallback')).toBeUndefined();
  });

  it('encodes entities the way Slack sends them, and decoding undoes it', () => {
    const typed = 'a < b && c > d &lt;';
    expect(encodeEntities(typed)).toBe('a &lt; b &amp;&amp; c &gt; d &amp;lt;');
    expect(decodeEntities(encodeEntities(typed))).toBe(typed);
  });

  it('apologises with the request id, ephemerally, and keeps the id inert', () => {
    expect(somethingWentWrong('req-123')).toEqual({
      response_type: 'ephemeral',
      text: 'Something went wrong on our side, sorry. Try again in a moment. (request id: req-123)',
    });
    expect(somethingWentWrong('<!channel>').text).toContain('&lt;!channel&gt;');
  });

  it('escapes the fallback text too', () => {
    expect(inChannelCodeBlock('cow', '<!channel> hi')?.text).toBe('&lt;!channel&gt; hi');
  });
});
