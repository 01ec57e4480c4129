import { connect, type Socket } from 'node:net';
import { expect } from 'chai';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';

/** A wire-protocol client that sends one message at a time, as a client whose writes reach the server in separate packets. */
class RawClient {
  private buffer = Buffer.alloc(0);
  private waiting?: () => void;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
  }

  static async open(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    const client = new RawClient(socket);
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    await client.readyForQuery();
    return client;
  }

  send(type: string, body: Buffer = Buffer.alloc(0)): void {
    const header = Buffer.alloc(5);
    header.write(type, 0);
    header.writeInt32BE(4 + body.length, 1);
    this.socket.write(Buffer.concat([header, body]));
  }

  /** The message types received up to ReadyForQuery, and the text of any error. */
  async readyForQuery(): Promise<{ types: string; error?: string }> {
    for (;;) {
      const types: string[] = [];
      let error: string | undefined;
      for (let at = 0; at + 5 <= this.buffer.length; ) {
        const type = String.fromCharCode(this.buffer[at]);
        const end = at + 1 + this.buffer.readInt32BE(at + 1);
        if (end > this.buffer.length) break;
        if (type === 'E') error = this.buffer.subarray(at + 5, end).toString().replaceAll('\0', ' ');
        types.push(type);
        if (type === 'Z') {
          this.buffer = this.buffer.subarray(end);
          return { types: types.join(''), error };
        }
        at = end;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

const int16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const int32 = (n: number) => Buffer.from([n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('embedded PGlite server with concurrent connections @smoke', () => {
  let embedded: EmbeddedPostgres;
  before(async () => {
    embedded = await startEmbeddedPostgres('memory://', 8);
  });
  after(() => embedded.stop());

  it("keeps one connection's Parse/Bind/Execute/Sync whole while another connection's query arrives in between", async function () {
    this.timeout(30_000);
    const raw = await RawClient.open(embedded.url);
    const other = new pg.Client({ connectionString: embedded.url });
    await other.connect();
    try {
      raw.send('P', Buffer.concat([Buffer.from('\0select $1::int * 2 as v\0'), int16(0)]));
      await pause(50);
      // A simple query from another connection: served between Parse and Bind it would drop the unnamed statement.
      const otherAnswer = other.query('select 41 + 1 as v');
      await pause(50);
      const seven = Buffer.from('7');
      raw.send('B', Buffer.concat([Buffer.from('\0\0'), int16(0), int16(1), int32(seven.length), seven, int16(0)]));
      raw.send('E', Buffer.concat([Buffer.from('\0'), int32(0)]));
      raw.send('S');
      const result = await raw.readyForQuery();
      expect(result.error).to.equal(undefined);
      // ParseComplete, BindComplete, DataRow, CommandComplete, ReadyForQuery (PGlite adds ParameterStatus, S, messages).
      expect(result.types.replaceAll('S', '')).to.equal('12DCZ');
      expect((await otherAnswer).rows).to.deep.equal([{ v: 42 }]);
    } finally {
      raw.close();
      await other.end();
    }
  });

  it('serves the others again when a connection leaves in the middle of its sequence', async function () {
    this.timeout(30_000);
    const raw = await RawClient.open(embedded.url);
    raw.send('P', Buffer.concat([Buffer.from('\0select 1\0'), int16(0)]));
    await pause(50);
    raw.close();
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    try {
      expect((await client.query('select $1::int + 1 as v', [1])).rows).to.deep.equal([{ v: 2 }]);
    } finally {
      await client.end();
    }
  });
});
