import { expect } from 'chai';
import type { GraphQLFieldResolver } from 'graphql';
import type { Context } from '../../src/graphql/context.js';
import { clientAddressKey } from '../../src/rate-limits/client-address.js';
import { OPERATION_CLASSES, RateLimiter } from '../../src/rate-limits/rate-limiter.js';
import { TokenBuckets, WARN_PERIOD_MS } from '../../src/rate-limits/token-buckets.js';

/** A clock the test moves by hand: no sleeps, no timing. */
function manualClock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('rate limits: token buckets (injected clock) @smoke', () => {
  it('allows a burst, then refuses with the wait until the next call is allowed', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 6, burst: 3 }, clock.now);
    for (let i = 0; i < 3; i++) expect(buckets.take('u1'), `call ${i + 1}`).to.equal(undefined);
    expect(buckets.take('u1')).to.deep.equal({ retryAfterSeconds: 10, warn: true }); // 6 a minute: one every 10 s
    clock.advance(4_000);
    expect(buckets.take('u1')?.retryAfterSeconds).to.equal(6);
  });

  it('refills at the configured rate, never above the burst', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 6, burst: 2 }, clock.now);
    buckets.take('u1');
    buckets.take('u1');
    expect(buckets.take('u1')).to.not.equal(undefined);
    clock.advance(10_000);
    expect(buckets.take('u1'), 'one call back after 10 s').to.equal(undefined);
    expect(buckets.take('u1')).to.not.equal(undefined);
    clock.advance(3_600_000);
    expect(buckets.take('u1')).to.equal(undefined);
    expect(buckets.take('u1')).to.equal(undefined);
    expect(buckets.take('u1'), 'an hour idle still gives only the burst').to.not.equal(undefined);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets({ perMinute: 1, burst: 1 }, manualClock().now);
    expect(buckets.take('u1')).to.equal(undefined);
    expect(buckets.take('u1')).to.not.equal(undefined);
    expect(buckets.take('u2')).to.equal(undefined);
  });

  it('asks for a log line on the first refusal of a caller per period only', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 1, burst: 1 }, clock.now);
    buckets.take('u1');
    const warns = [];
    for (let i = 0; i < 5; i++) {
      warns.push(buckets.take('u1')?.warn);
      clock.advance(1_000);
    }
    expect(warns).to.deep.equal([true, false, false, false, false]);
    expect(buckets.take('u2')).to.equal(undefined);
    expect(buckets.take('u2')?.warn, 'another caller has its own line').to.equal(true);
    clock.advance(WARN_PERIOD_MS);
    buckets.take('u1'); // the refilled call
    expect(buckets.take('u1')?.warn, 'a period later').to.equal(true);
  });

  it('forgets callers whose buckets have refilled, so memory follows recent callers', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 60, burst: 5 }, clock.now);
    for (let i = 0; i < 100; i++) buckets.take(`caller-${i}`);
    clock.advance(50_000);
    for (let i = 0; i < 6; i++) buckets.take('refused');
    expect(buckets.size).to.equal(101);
    clock.advance(WARN_PERIOD_MS - 50_000 + 1); // a sweep is due
    buckets.take('newer');
    // The refused caller's bucket is full again, but it keeps its once-a-minute log line.
    expect(buckets.size, 'full buckets dropped, the recently refused one kept').to.equal(2);
  });
});

describe('rate limits: client address key @smoke', () => {
  it('keys by the address, IPv4-mapped as IPv4 and IPv6 by its /64', () => {
    expect(clientAddressKey('203.0.113.7')).to.equal('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).to.equal('203.0.113.7');
    expect(clientAddressKey('2001:db8:1:2::1')).to.equal('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:ffff:1:2:3')).to.equal('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8:1:3::1')).to.equal('2001:db8:1:3::/64');
    expect(clientAddressKey('2001:db8::1')).to.equal('2001:db8:0:0::/64');
    expect(clientAddressKey('::1')).to.equal('0:0:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).to.equal('fe80:0:0:0::/64');
    expect(clientAddressKey('64:ff9b::192.0.2.1')).to.equal('64:ff9b:0:0::/64');
    expect(clientAddressKey(undefined)).to.equal('unknown');
  });
});

describe('rate limits: RateLimiter wiring @smoke', () => {
  const limits = { psp: { perMinute: 1, burst: 1 }, otp: { perMinute: 0, burst: 1 }, default: { perMinute: 0, burst: 1 }, anonymous: { perMinute: 0, burst: 1 } };
  const resolve: GraphQLFieldResolver<unknown, Context> = () => 'resolved';

  it('adds nothing to a field whose class is turned off', () => {
    const limiter = new RateLimiter(limits);
    expect(limiter.wrap('initiateTransaction', [], resolve)).to.equal(resolve);
    expect(limiter.wrap('me', [], resolve)).to.equal(resolve);
    expect(limiter.wrap('tokenAuth', undefined, resolve)).to.equal(resolve);
    expect(limiter.wrap('verifyInsuree', [], resolve)).to.not.equal(resolve);
  });

  it('refuses to start when a classified field is not in the schema', () => {
    expect(() => RateLimiter.checkClasses(Object.keys(OPERATION_CLASSES))).to.not.throw();
    expect(() => RateLimiter.checkClasses(['verifyInsuree'])).to.throw(/processPayment/);
  });
});
