/**
 * The browser the openIMIS front end runs in, as far as Hela can tell: fe-core's fetch (JSON body,
 * X-Requested-With, X-CSRFToken from localStorage, here none), the page's Origin, and a cookie jar
 * that keeps what Set-Cookie says (HttpOnly cookies included: the browser sends them, scripts cannot
 * read them).
 */
export class Browser {
  private readonly jar = new Map<string, string>();

  constructor(private readonly apiUrl: string, readonly origin: string) {}

  /** fe-core's graphql / graphqlWithVariables / graphqlMutation: POST {baseApiUrl}/graphql. */
  async graphql(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.apiUrl}/api/graphql`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest', 'x-csrftoken': 'null' },
      body: JSON.stringify({ query, variables }),
    });
    this.keep(response.headers);
    return { status: response.status, body: await response.json() };
  }

  /** fe-core's REST calls (loadUser). */
  async get(path: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.apiUrl}${path}`, { headers: { ...this.headers(), 'content-type': 'application/json' } });
    this.keep(response.headers);
    return { status: response.status, body: await response.json() };
  }

  /** Another browser holding the same cookies. */
  copy(): Browser {
    const copy = new Browser(this.apiUrl, this.origin);
    for (const [name, value] of this.jar) copy.jar.set(name, value);
    return copy;
  }

  has(cookie: string): boolean {
    return this.jar.has(cookie);
  }

  private headers(): Record<string, string> {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    return { origin: this.origin, ...(cookie ? { cookie } : {}) };
  }

  private keep(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (attributes.includes('Max-Age=0') || !pair.slice(eq + 1)) this.jar.delete(name);
      else this.jar.set(name, pair.slice(eq + 1));
    }
  }
}
