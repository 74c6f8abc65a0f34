import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { badInput } from '../../graphql/errors';

/**
 * Where the hub refuses to post (server-side request forgery): every address that is not a public
 * unicast one — loopback, private, carrier-grade NAT (which holds Alibaba Cloud's metadata service,
 * 100.100.100.200), link-local (169.254.169.254, the other clouds' metadata), documentation,
 * benchmarking, multicast and reserved ranges, and in IPv6 their equivalents plus the forms that
 * embed an IPv4 address (mapped, NAT64, 6to4, Teredo), refused whole rather than decoded.
 */
const FORBIDDEN_V4 = new BlockList();
// Kept apart: a BlockList matches an IPv4 address against its IPv4-mapped IPv6 rules too (::ffff:0:0/96 would refuse every IPv4 address).
const FORBIDDEN_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) FORBIDDEN_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 32], ['2001:db8::', 32],
  ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) FORBIDDEN_V6.addSubnet(net, prefix, 'ipv6');

/** True for an address the hub never posts to (see FORBIDDEN_V4 and _V6); anything that is not an IP address counts as forbidden. */
export function isForbiddenAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(a);
  if (family === 0) return true;
  return family === 4 ? FORBIDDEN_V4.check(a, 'ipv4') : FORBIDDEN_V6.check(a, 'ipv6');
}

/** Which receivers are accepted: the hub's settings (src/config.ts, `webhooks`). */
export interface ReceiverPolicy {
  /** http:// accepted (development only). */
  allowHttp: boolean;
  /** Private and loopback addresses accepted, and http:// with them (tests, a developer's own receiver). */
  allowPrivate: boolean;
}

/** Every address of a host name, as the system resolver gives them. */
export type Resolve = (host: string) => Promise<string[]>;

export const systemResolve: Resolve = async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks a receiver URL at registration: absolute, https (http only where the settings allow it),
 * no credentials, and a host that neither is nor resolves to a forbidden address. Every problem is
 * BAD_USER_INPUT naming `field`. Returns the URL to store (without a fragment).
 */
export async function checkReceiverUrl(raw: string, policy: ReceiverPolicy, field = 'input.url', resolve: Resolve = systemResolve): Promise<string> {
  if (typeof raw !== 'string' || raw.length === 0) throw badInput(field, 'is required');
  if (raw.length > 2048) throw badInput(field, `must be at most 2,048 characters, got ${raw.length}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput(field, `is not an absolute URL: ${JSON.stringify(raw.slice(0, 100))}`, { rule: 'webhook.url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput(field, `must be an https:// URL, got ${url.protocol}`, { rule: 'webhook.https' });
  if (url.protocol === 'http:' && !policy.allowHttp && !policy.allowPrivate) {
    throw badInput(field, 'must be an https:// URL: plain http is accepted in development only', { rule: 'webhook.https' });
  }
  if (url.username || url.password) throw badInput(field, 'must not carry a user name or password; the hub signs every delivery instead', { rule: 'webhook.url' });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowPrivate) {
    if (isIP(host)) {
      if (isForbiddenAddress(host)) throw badInput(field, `${host} is a private, loopback, link-local or reserved address; the hub posts to public addresses only`, { rule: 'webhook.privateAddress' });
    } else {
      let addresses: string[];
      try {
        addresses = await resolve(host);
      } catch {
        throw badInput(field, `the host ${host} does not resolve`, { rule: 'webhook.unresolvable' });
      }
      if (addresses.length === 0) throw badInput(field, `the host ${host} does not resolve`, { rule: 'webhook.unresolvable' });
      const bad = addresses.find(isForbiddenAddress);
      if (bad) throw badInput(field, `the host ${host} resolves to ${bad}, a private, loopback, link-local or reserved address; the hub posts to public addresses only`, { rule: 'webhook.privateAddress' });
    }
  }
  url.hash = '';
  return url.toString();
}

/** The error a delivery ends with when the receiver's address is refused at connection time. */
export class ForbiddenAddressError extends Error {
  readonly code = 'EHUBFORBIDDENADDRESS';
}

/**
 * The `lookup` of every delivery's connection: resolves the host and refuses it when any address
 * is forbidden, so the address checked is the address connected to. A name that resolved to a
 * public address at registration and to a private one now (DNS rebinding) is refused here.
 */
export function guardedLookup(policy: ReceiverPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
      const cb = callback as (...args: unknown[]) => void;
      if (err) return cb(err);
      const list = addresses as dns.LookupAddress[];
      const bad = policy.allowPrivate ? undefined : list.find((a) => isForbiddenAddress(a.address));
      if (bad) return cb(new ForbiddenAddressError(`${hostname} resolves to ${bad.address}, a forbidden address`));
      if (list.length === 0) return cb(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }));
      if ((options as { all?: boolean }).all) return cb(null, list);
      return cb(null, list[0].address, list[0].family);
    });
  };
}
