/* eslint-disable no-bitwise -- networks are masks: host bits and prefixes are bit arithmetic on the address */
import { isIPv4, isIPv6 } from 'net';

/**
 * `dockerOptions.forwardedAllowIps`: what uvicorn's `--proxy-headers` trusts (`FORWARDED_ALLOW_IPS`),
 * checked as uvicorn reads it. uvicorn (0.32, `ProxyHeadersMiddleware`) takes a comma-separated list of
 * IP addresses and networks through Python's `ipaddress`, or `*` alone for every peer; an entry it
 * cannot parse becomes a literal that no peer address matches, silently, so each entry is checked here.
 */

/** The problem with one entry, if any: an IPv4 or IPv6 address, or a network without host bits. */
export function forwardedEntryProblem(entry: string): string | undefined {
  const [address, prefix, extra] = entry.split('/');
  if (extra !== undefined) return 'expected one address or one network (address/prefix)';
  const v4 = isIPv4(address) && !/(^|\.)0[0-9]/.test(address); // Python refuses leading zeros
  const v6 = !v4 && isIPv6(address) && !address.includes('%');
  if (!v4 && !v6) return 'is not an IPv4 or IPv6 address';
  if (prefix === undefined) return undefined;
  const bits = v4 ? 32 : 128;
  if (!/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > bits) return `the prefix length must be a whole number from 0 to ${bits}`;
  const value = v4 ? ipv4Value(address) : ipv6Value(address);
  const hostBits = BigInt(bits - Number(prefix));
  if (value & ((BigInt(1) << hostBits) - BigInt(1))) {
    const network = (value >> hostBits) << hostBits;
    return `has host bits set, so Python's ipaddress refuses it and uvicorn would trust nothing for it; write the network ${v4 ? ipv4Text(network) : ipv6Text(network)}/${prefix}`;
  }
  return undefined;
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << BigInt(8)) + BigInt(Number(part)), BigInt(0));
}

function ipv4Text(value: bigint): string {
  return [24, 16, 8, 0].map((shift) => String((value >> BigInt(shift)) & BigInt(255))).join('.');
}

function ipv6Text(value: bigint): string {
  const groups = [...Array(8).keys()].map((i) => ((value >> BigInt(112 - 16 * i)) & BigInt(0xffff)).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/^:::?|:::?$/, '::');
}

/** The 128-bit value of an IPv6 address (already known valid: `::`, an embedded IPv4 tail). */
function ipv6Value(address: string): bigint {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4Value(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(n >> BigInt(16)).toString(16)}:${(n & BigInt(0xffff)).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return all.reduce((acc, g) => (acc << BigInt(16)) + BigInt(parseInt(g, 16)), BigInt(0));
}
