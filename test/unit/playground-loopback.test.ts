import { ClientAddress, isLoopbackAddress, isLoopbackClient } from '../../src/playground/playground';

/**
 * Who gets the development token (issue 10, finding 3): only a browser on the hub's own machine.
 * The decision as a table: the connection's peer, Express's `req.ip` (which HUB_TRUST_PROXY may
 * take from X-Forwarded-For) and the forwarding headers a proxy adds.
 */

const client = (socketAddress: string | undefined, headers: Record<string, string> = {}, ip: string | undefined = socketAddress): ClientAddress => ({ socketAddress, ip, headers });

describe('isLoopbackAddress', () => {
  test.each(['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('%s is loopback', (a) => {
    expect(isLoopbackAddress(a)).toBe(true);
  });
  test.each(['10.0.0.1', '192.168.1.20', '203.0.113.7', '::ffff:10.0.0.1', '2001:db8::1', '::', '0.0.0.0', 'localhost', 'unknown', '', undefined])('%s is not', (a) => {
    expect(isLoopbackAddress(a)).toBe(false);
  });
});

describe('isLoopbackClient', () => {
  test.each<[string, ClientAddress, boolean]>([
    ['a browser on this machine (IPv4)', client('127.0.0.1'), true],
    ['a browser on this machine (IPv6)', client('::1'), true],
    ['a browser on this machine (IPv4-mapped, dual-stack socket)', client('::ffff:127.0.0.1'), true],
    ['a laptop on the office network', client('192.168.1.20'), false],
    ['a client on the internet', client('203.0.113.7'), false],
    ['no address (socket already gone)', client(undefined), false],
    ['a remote client claiming to be local in X-Forwarded-For', client('203.0.113.7', { 'x-forwarded-for': '127.0.0.1' }), false],
    ['a remote client that a trusted proxy made look local', client('203.0.113.7', {}, '127.0.0.1'), false],
    ['a local proxy (untrusted) forwarding a remote client', client('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }), false],
    ['a local proxy (trusted) forwarding a remote client', client('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }, '203.0.113.7'), false],
    ['a chain of proxies ending on this machine', client('127.0.0.1', { 'x-forwarded-for': '203.0.113.7, 127.0.0.1' }), false],
    ['a local proxy forwarding a local browser', client('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }), true],
    ['X-Real-IP of a remote client', client('127.0.0.1', { 'x-real-ip': '198.51.100.17' }), false],
    ['Forwarded for a remote client', client('127.0.0.1', { forwarded: 'for=198.51.100.17;proto=https;by=127.0.0.1' }), false],
    ['Forwarded for an IPv6 client with a port', client('::1', { forwarded: 'for="[2001:db8:cafe::17]:4711"' }), false],
    ['Forwarded for a hidden client', client('127.0.0.1', { forwarded: 'for=_hidden' }), false],
    ['Forwarded for "unknown"', client('127.0.0.1', { forwarded: 'for=unknown' }), false],
    ['Forwarded for a local browser, with a port', client('127.0.0.1', { forwarded: 'for="[::1]:51234", for=127.0.0.1:80' }), true],
    ['Forwarded naming a proxy only (by=), no for=', client('127.0.0.1', { forwarded: 'by=203.0.113.43;proto=http' }), true],
  ])('%s: %s', (_name, c, want) => {
    expect(isLoopbackClient(c)).toBe(want);
  });
});
