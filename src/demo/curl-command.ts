/**
 * The few curl forms the walk-throughs show (`curl -s [-X M] [-H h]… [-d body] url`), read into a fetch
 * request so the demo sends what the reader would. `$TOKEN` is the step's user's access token.
 */
export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export class CurlError extends Error {}

export function parseCurl(command: string, token: string | undefined): CurlRequest {
  const words = shellWords(command.replace(/\\\n/g, ' ').replace(/^\s*#.*$/gm, ''));
  if (words.shift() !== 'curl') throw new CurlError('a demo sh step is one curl command');
  const request: CurlRequest = { method: '', url: '', headers: {} };
  while (words.length) {
    const word = words.shift()!;
    if (word === '-s' || word === '-sS' || word === '-S') continue;
    const value = () => {
      const next = words.shift();
      if (next === undefined) throw new CurlError(`${word} needs a value`);
      return next.replace(/\$TOKEN\b|\$\{TOKEN\}/g, () => token ?? missingToken());
    };
    if (word === '-X') request.method = value();
    else if (word === '-H') {
      const [name, ...rest] = value().split(':');
      request.headers[name.trim().toLowerCase()] = rest.join(':').trim();
    } else if (['-d', '--data', '--data-raw', '--data-binary'].includes(word)) {
      const body = value();
      if (body.startsWith('@')) throw new CurlError(`the demo cannot send a file (${body})`);
      request.body = body;
    } else if (word.startsWith('-')) throw new CurlError(`the demo does not know curl's ${word}`);
    else request.url = /^https?:\/\//.test(word) ? word : `http://${word}`;
  }
  if (!request.url) throw new CurlError('curl without a URL');
  if (request.body !== undefined) request.headers['content-type'] ??= 'application/x-www-form-urlencoded'; // as curl -d sends
  request.method ||= request.body === undefined ? 'GET' : 'POST';
  return request;
}

function missingToken(): never {
  throw new CurlError('$TOKEN needs the step to name its user (as: …)');
}

/** Words as a POSIX shell splits them: single quotes literal, double quotes with \" escapes. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new CurlError('unterminated single quote');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let quoted = '';
      for (; j < text.length && text[j] !== '"'; j++) quoted += text[j] === '\\' && /["\\$]/.test(text[j + 1] ?? '') ? text[++j] : text[j];
      if (j >= text.length) throw new CurlError('unterminated double quote');
      word = (word ?? '') + quoted;
      i = j;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}
