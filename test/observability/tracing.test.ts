import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import type { App } from '../../src/app.js';
import { Egress } from '../../src/http/egress.js';
import { outboundContext } from '../../src/observability/outbound-http.js';
import { startTracing, type Tracing } from '../../src/observability/tracing-switch.js';
import { createInsuredFamily, createExternalPsp } from '../helpers/openimis.js';
import { capturedLog, raw, startSecondApp } from '../helpers/second-app.js';
import { Role, tokenFor } from '../helpers/users.js';

const PAY = `mutation Pay($i: ProcessPaymentMutationInput!) { processPayment(input: $i) { Success } }`;

/**
 * Tracing as it runs with OTEL_EXPORTER_OTLP_ENDPOINT set, spans kept in memory instead of exported: one
 * processPayment is an HTTP server span (continuing the caller's W3C traceparent), one GraphQL operation
 * span under it, and the pg queries under that; outbound got calls send traceparent on; log lines carry
 * the ids. Tracing is switched off again afterwards for the rest of the run.
 */
describe('OpenTelemetry traces (in-memory exporter)', function () {
  this.timeout(60_000);
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let app: App;
  let lines: string[];
  before(async () => {
    tracing = await startTracing({ tracing: {} }, [new SimpleSpanProcessor({ exporter })]);
    // The trace ids in log lines come from the logger's mixin, as main.ts sets it up.
    const captured = capturedLog('info', tracing.logMixin);
    lines = captured.lines;
    app = await startSecondApp({ LOG_LEVEL: 'info' }, captured.log);
  });
  after(async () => {
    await app?.close();
    await tracing?.stop();
  });
  beforeEach(() => exporter.reset());

  it('one processPayment: server span ← graphql "mutation processPayment" ← pg queries, in the caller\'s trace', async () => {
    const psp = await createExternalPsp(await tokenFor(Role.ADMIN));
    const insured = await createInsuredFamily({ lumpSum: '100.00' });
    const callerTrace = randomUUID().replace(/-/g, '');
    const callerSpan = 'a1b2c3d4e5f60718';
    exporter.reset();
    const response = await raw(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${psp.token}`, traceparent: `00-${callerTrace}-${callerSpan}-01` },
      body: JSON.stringify({
        query: PAY,
        variables: { i: { chfId: insured.chfId, amount: insured.lumpSum, pspTransactionId: `ref-${randomUUID()}`, policy: { productName: insured.productName, productCode: insured.productCode, token: insured.policyUuid } } },
      }),
    });
    expect(response.json.data.processPayment.Success).to.equal(true);
    const spans = await eventuallySpans(exporter, (all) => all.some((s) => s.name === 'mutation processPayment'));
    const inTrace = spans.filter((s) => s.spanContext().traceId === callerTrace);
    const server = inTrace.filter((s) => s.parentSpanContext?.spanId === callerSpan);
    expect(server.map((s) => s.name), names(spans)).to.deep.equal(['POST']);
    const operations = inTrace.filter((s) => s.name.startsWith('mutation ') || s.name.startsWith('query '));
    expect(operations.map((s) => s.name), names(spans)).to.deep.equal(['mutation processPayment']);
    const [operation] = operations;
    expect(operation.parentSpanContext?.spanId).to.equal(server[0].spanContext().spanId);
    expect(operation.attributes).to.include({ 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'Pay', 'hela.outcome.code': 'OK' });
    const queries = inTrace.filter((s) => s.name.startsWith('pg.query'));
    expect(queries.length, names(spans)).to.be.at.least(1);
    const ids = new Set(inTrace.map((s) => s.spanContext().spanId));
    for (const query of queries) {
      expect(descendsFrom(query, operation, inTrace), `${query.name} under the operation`).to.equal(true);
      expect(ids.has(query.parentSpanContext!.spanId)).to.equal(true);
    }
    // No document, variables or statement values in the attributes: they can hold secrets.
    expect(JSON.stringify(inTrace.map((s) => s.attributes))).to.not.include(insured.chfId);
    exporter.reset();
    await raw(`${app.url}/graphql?query=%7B__typename%7D&access_token=canary-query-token`, { headers: { 'apollo-require-preflight': '1' } });
    const get = await eventuallySpans(exporter, (all) => all.some((s) => s.name === 'query __typename'));
    expect(get.map((s) => s.name)).to.include('query __typename');
    expect(JSON.stringify(get.map((s) => s.attributes)), 'a query string in a span').to.not.include('canary-query-token');

    const requestLine = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request' && entry.operation === 'processPayment');
    expect(requestLine, lines.join('\n')).to.include({ trace_id: callerTrace, code: 'OK', userId: requestLine?.userId });
    expect(requestLine.userId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('outbound got calls are client spans and send W3C traceparent to the counterpart', async () => {
    let received: string | undefined;
    const counterpart: Server = createServer((req, res) => {
      received = req.headers.traceparent as string | undefined;
      res.end('{}');
    });
    await new Promise<void>((resolve) => counterpart.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = counterpart.address() as { port: number };
      const tracer = trace.getTracer('test');
      const parent = tracer.startSpan('work');
      await context.with(trace.setSpan(context.active(), parent), () => app.container.get(Egress).http.get(`http://127.0.0.1:${port}/x`, outboundContext('test', 'test')));
      parent.end();
      const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(received ?? '');
      expect(match, received).to.not.equal(null);
      expect(match![1]).to.equal(parent.spanContext().traceId);
      const spans = await eventuallySpans(exporter, (all) => all.some((s) => s.spanContext().spanId === match![2]));
      const client = spans.find((s) => s.spanContext().spanId === match![2])!;
      expect(client.parentSpanContext?.spanId).to.equal(parent.spanContext().spanId);
    } finally {
      counterpart.close();
    }
  });
});

function names(spans: ReadableSpan[]): string {
  return spans.map((s) => `${s.name} (${s.spanContext().spanId} ← ${s.parentSpanContext?.spanId})`).join(', ');
}

function descendsFrom(span: ReadableSpan, ancestor: ReadableSpan, all: ReadableSpan[]): boolean {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  for (let at: ReadableSpan | undefined = span; at; at = byId.get(at.parentSpanContext?.spanId ?? '')) {
    if (at === ancestor) return true;
  }
  return false;
}

async function eventuallySpans(exporter: InMemorySpanExporter, done: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  for (let i = 0; i < 50; i++) {
    const spans = exporter.getFinishedSpans();
    if (done(spans)) return spans;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return exporter.getFinishedSpans();
}
