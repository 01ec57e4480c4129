import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

/**
 * got sets no timeout by default ("By default, there is no timeout set", got's documentation), so a
 * new outbound call without one would wait for ever on a counterpart that stops answering. Every got
 * call or instance in src/ (the simulators aside: they are the counterparts) must say its timeout
 * and that it neither retries nor follows redirects; fetch, with no timeout at all, is not used for outbound calls.
 * The fault tests (test/outbound/*-faults.test.ts) show each counterpart's timeout at work.
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.includes('/simulators/'));
}

/** The argument text of the call that starts at `start` (the index of its opening parenthesis). */
function callText(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}

describe('outbound HTTP calls @smoke', () => {
  it('every got call in src/ has an explicit timeout, no automatic retry and follows no redirect; fetch is not used', () => {
    const calls: Array<{ file: string; call: string }> = [];
    for (const file of sources('src')) {
      const text = readFileSync(file, 'utf8');
      expect(/\bfetch\(/.test(text), `${file} calls fetch`).to.equal(false);
      if (!/from 'got'/.test(text)) continue;
      for (const match of text.matchAll(/\bgot(?:\.(?:post|get|put|patch|delete|extend|stream))?\(/g)) {
        calls.push({ file, call: callText(text, match.index + match[0].length - 1) });
      }
    }
    expect(calls.length, 'the Qmoney, G2P Connect (send, status, token) and Example Bank clients').to.be.at.least(4);
    for (const { file, call } of calls) {
      expect(call, file).to.match(/timeout:\s*\{\s*request:/);
      expect(call, file).to.match(/retry:\s*\{\s*limit:\s*0\s*\}/);
      expect(call, file).to.match(/followRedirect:\s*false/);
    }
  });
});
