import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

/**
 * got sets no timeout by default ("By default, there is no timeout set", got's documentation), so a
 * new outbound call without one would wait for ever on a counterpart that stops answering. Every
 * outbound client in src/ (the simulators aside: they are the counterparts; and the demo runner, which plays the
 * reader of the docs against a Hela of its own) goes through the egress
 * policy's got (src/http/egress.ts, which follows no redirect), and each of its calls, or the
 * instance it extends, says its timeout and that it does not retry; fetch, with no timeout at all,
 * is not used. The fault tests (test/outbound/*-faults.test.ts) show each counterpart's timeout at work.
 */
const EGRESS = join('src', 'http', 'egress.ts');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.includes('/simulators/') && !file.includes('/demo/'));
}

/** The argument text of the call whose opening parenthesis is at `start`. */
function callText(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}

const explicit = (call: string) => /timeout:\s*\{\s*request:/.test(call) && /retry:\s*\{\s*limit:\s*0\s*\}/.test(call);

describe('outbound HTTP calls @smoke', () => {
  it('go through the egress policy’s got, which follows no redirect, each with an explicit timeout and no automatic retry; fetch is not used', () => {
    const egress = readFileSync(EGRESS, 'utf8');
    expect(callText(egress, egress.indexOf('got.extend(') + 'got.extend'.length)).to.match(/followRedirect:\s*false/);
    let calls = 0;
    for (const file of sources('src')) {
      const text = readFileSync(file, 'utf8');
      expect(/\bfetch\(/.test(text), `${file} calls fetch`).to.equal(false);
      if (file === EGRESS) continue;
      expect(/import got\b/.test(text), `${file} imports got itself instead of using Egress.http`).to.equal(false);
      const found = [...text.matchAll(/\bhttp\.(post|get|put|patch|delete|stream|extend)\(/g)].map((m) => ({ method: m[1], call: callText(text, m.index + m[0].length - 1) }));
      // A client extended once with its settings (Qmoney) may leave them out of each call.
      const extendedExplicitly = found.some((c) => c.method === 'extend' && explicit(c.call));
      for (const { method, call } of found) {
        calls++;
        expect(explicit(call) || (method !== 'extend' && extendedExplicitly), `${file}: ${call.slice(0, 120)}`).to.equal(true);
      }
    }
    expect(calls, 'the Qmoney, G2P Connect (send, status, token) and Example Bank clients').to.be.at.least(4);
  });
});
