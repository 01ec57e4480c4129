import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { buildSchema, getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { authHeaders, cookieSession, signIn, websocketUrl, type Session } from '../shared/session.js';
import { EXAMPLES } from './examples.js';
import './ide.css';

type Params = { query: string; variables?: Record<string, unknown> | null; operationName?: string | null };

/** Queries and mutations over HTTP with the in-memory token (or the cookie); subscriptions over graphql-ws. */
function fetcherFor(session: Session) {
  let ws: Client | undefined;
  return (params: Params) => {
    let operation: string | undefined;
    try {
      operation = getOperationAST(parse(params.query), params.operationName ?? undefined)?.operation;
    } catch {
      operation = undefined; // let the server say what is wrong with it
    }
    if (operation === 'subscription') {
      ws ??= createClient({ url: websocketUrl(), connectionParams: session.token ? { authorization: `Bearer ${session.token}` } : undefined });
      return ws.iterate({ query: params.query, variables: params.variables ?? undefined, operationName: params.operationName ?? undefined });
    }
    return fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', ...authHeaders(session) },
      body: JSON.stringify(params),
    }).then((response) => response.json());
  };
}

/** The SDL Hela serves to signed-in users: what the editor completes and checks against, introspection or not. */
async function loadSchema(session: Session): Promise<GraphQLSchema> {
  const response = await fetch('/schema.graphql', { credentials: 'same-origin', headers: authHeaders(session) });
  if (!response.ok) throw new Error(`schema.graphql: HTTP ${response.status}`);
  return buildSchema(await response.text());
}

async function open(session: Session): Promise<void> {
  const schema = await loadSchema(session);
  const container = document.getElementById('ide')!;
  container.replaceChildren();
  createRoot(container).render(createElement(GraphiQL, { fetcher: fetcherFor(session) as never, schema, defaultTabs: EXAMPLES, shouldPersistHeaders: false }));
}

function signInForm(): void {
  const container = document.getElementById('ide')!;
  const form = document.createElement('form');
  form.className = 'hela-sign-in';
  form.innerHTML = `
    <h1>Hela GraphQL IDE</h1>
    <p>Sign in with your Hela account. The token stays in this page's memory.</p>
    <label for="hela-username">Username</label>
    <input id="hela-username" name="username" autocomplete="username" required>
    <label for="hela-password">Password</label>
    <input id="hela-password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
    <p class="hela-error" role="alert" aria-live="assertive"></p>`;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const error = form.querySelector<HTMLElement>('.hela-error')!;
    error.textContent = '';
    signIn(String(data.get('username')), String(data.get('password')))
      .then(open)
      .catch((failure: Error) => {
        error.textContent = failure.message; // textContent: a server message is never markup
      });
  });
  container.replaceChildren(form);
  form.querySelector<HTMLInputElement>('input')!.focus();
}

const session = await cookieSession().catch(() => undefined);
if (session) await open(session);
else signInForm();
