/**
 * @module lib/safe-fetch
 * Fetching user-supplied URLs (images and job inputs by URL, webhook callbacks) without becoming an SSRF proxy.
 *
 * Rules (`checkUrl`): `https:` only; no user/password in the URL; no IP literal in a private, loopback,
 * link-local, CGNAT, ULA, multicast, documentation or otherwise reserved range (IPv4, IPv6, IPv4-mapped
 * and NAT64 forms); no host names such as `localhost`, `*.local`, `*.internal`, `*.localhost`,
 * `*.home.arpa` or single-label intranet names. `safeFetch` applies them to every hop: redirects are
 * followed by hand (at most 3), each `Location` checked again; the body is size-limited while it streams;
 * the whole exchange has a timeout.
 *
 * Limitation: Workers cannot resolve DNS, so a public name that resolves to a private address is not
 * detected here (Cloudflare's egress does not route to private networks, which covers that case in
 * production). `ALLOW_INSECURE_FETCH_FOR_TESTS=1` switches every address rule off; it exists for tests
 * against 127.0.0.1 servers and must never be set in production.
 */
import { ProblemError } from '../problem.js';
import { readBodyWithin } from './read-limited.js';

export class UnsafeUrlError extends Error {
  override name = 'UnsafeUrlError';
}
export class FetchFailedError extends Error {
  override name = 'FetchFailedError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}
export class FetchTooLargeError extends Error {
  override name = 'FetchTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`The resource is larger than the limit of ${maxBytes} bytes.`);
  }
}

export type UrlCheckOptions = {
  /** Test-only: accept `http:` and any host (loopback servers in tests). Never in production. */
  allowInsecure?: boolean;
};

const BLOCKED_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa', '.intranet', '.lan', '.corp'];
const BLOCKED_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback', 'broadcasthost']);

/**
 * Throws `UnsafeUrlError` unless `input` is a URL an edge worker may fetch on a user's behalf.
 *
 * @example
 * checkUrl('https://example.com/clip.mp4'); // URL
 * checkUrl('http://169.254.169.254/latest/meta-data'); // throws
 */
export function checkUrl(input: string | URL, options: UrlCheckOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new UnsafeUrlError('not a valid absolute URL');
  }
  if (options.allowInsecure) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeUrlError(`scheme ${url.protocol} is not allowed`);
    return url;
  }
  if (url.protocol !== 'https:') throw new UnsafeUrlError(`only https: URLs are allowed, not ${url.protocol}`);
  if (url.username || url.password) throw new UnsafeUrlError('credentials in the URL are not allowed');
  const reason = blockedHostReason(url.hostname);
  if (reason) throw new UnsafeUrlError(`host ${url.hostname} is not allowed (${reason})`);
  return url;
}

/** Why a URL host (as `URL.hostname` gives it: IPv6 in brackets) must not be fetched, or null when it may. */
export function blockedHostReason(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (!host) return 'empty host';
  if (host.startsWith('[')) {
    const groups = parseIPv6(host.slice(1, -1));
    if (!groups) return 'unparseable IPv6 literal';
    return blockedIPv6Reason(groups);
  }
  const v4 = parseIPv4(host);
  if (v4 !== null) return blockedIPv4Reason(v4);
  if (/^[\d.]+$/.test(host) || /^0x/i.test(host)) return 'unusual numeric host';
  if (BLOCKED_NAMES.has(host)) return 'local host name';
  if (BLOCKED_SUFFIXES.some((s) => host.endsWith(s))) return 'local or internal domain';
  if (!host.includes('.')) return 'single-label (intranet) host name';
  return null;
}

/** Dotted-quad IPv4 → 32-bit number, or null. (`new URL` already normalises 0x7f.1, 2130706433 etc.) */
export function parseIPv4(host: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

// [network, prefix length, reason]
const V4_BLOCKED: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'CGNAT shared address space'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved / broadcast'],
];
const V4_TABLE = V4_BLOCKED.map(([net, bits, reason]) => ({ net: parseIPv4(net)!, mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0, reason }));

export function blockedIPv4Reason(ip: number): string | null {
  for (const { net, mask, reason } of V4_TABLE) if (((ip & mask) >>> 0) === net) return reason;
  return null;
}

/** IPv6 text (no brackets, may embed a dotted quad) → eight 16-bit groups, or null. */
export function parseIPv6(text: string): number[] | null {
  let s = text.toLowerCase();
  if (s.includes('%')) return null; // zone ids never appear in URLs we accept
  const tail = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (tail) {
    const v4 = parseIPv4(tail[1]);
    if (v4 === null) return null;
    s = s.slice(0, -tail[1].length) + `${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

export function blockedIPv6Reason(g: number[]): string | null {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const embedded = () => ((g[6] << 16) >>> 0) + g[7];
  if (zeroUpTo(8)) return 'unspecified address';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  if (zeroUpTo(5) && g[5] === 0xffff) return blockedIPv4Reason(embedded()) ?? null; // IPv4-mapped: judge the IPv4
  if (zeroUpTo(6)) return 'IPv4-compatible (deprecated)';
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return blockedIPv4Reason(embedded()); // NAT64
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique local (ULA)';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'site-local (deprecated)';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation';
  if (g[0] === 0x2002) return '6to4';
  if (g[0] === 0x2001 && g[1] === 0) return 'Teredo';
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'discard-only';
  return null;
}

export type SafeFetchOptions = UrlCheckOptions & {
  /** Largest body; more gives `FetchTooLargeError` (checked on Content-Length and while streaming). */
  maxBytes: number;
  /** Whole exchange, redirects and body included. Default 30 s. */
  timeoutMs?: number;
  /** Default 3. */
  maxRedirects?: number;
  /** For tests. Default: global fetch. */
  fetchImpl?: typeof fetch;
};

export type FetchedResource = { bytes: Uint8Array; contentType: string | null; url: string };

/**
 * GETs a user-supplied URL under the rules above.
 *
 * @example
 * const { bytes } = await safeFetch('https://example.com/clip.mp4', { maxBytes: 100 * 1024 * 1024 });
 */
export function safeFetch(input: string, options: SafeFetchOptions): Promise<FetchedResource> {
  return safeFetchStream(input, options, async (res, url) => ({
    bytes: await readBodyLimited(res, options.maxBytes),
    contentType: res.headers.get('content-type'),
    url,
  }));
}

/**
 * `safeFetch` that hands over the response unread, for a body too large to hold (a video streamed to
 * storage); a declared Content-Length over `maxBytes` is refused, the caller counts the rest. `consume`
 * runs under the same timeout and error mapping.
 */
export function safeFetchStream<T>(input: string, options: SafeFetchOptions, consume: (res: Response, url: string) => Promise<T>): Promise<T> {
  return withFetchErrors(options, async (signal) => {
    const { res, url } = await safeFetchResponse(input, options, signal);
    if (Number(res.headers.get('content-length')) > options.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new FetchTooLargeError(options.maxBytes);
    }
    return consume(res, url);
  });
}

async function withFetchErrors<T>(options: SafeFetchOptions, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const { timeoutMs = 30_000 } = options;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await run(signal);
  } catch (error) {
    if (error instanceof UnsafeUrlError || error instanceof FetchFailedError || error instanceof FetchTooLargeError) throw error;
    if (error instanceof ProblemError) throw error; // the consumer's own answer, e.g. a 413 while streaming
    if (signal.aborted) throw new FetchFailedError(`timed out after ${timeoutMs} ms`);
    throw new FetchFailedError(error instanceof Error ? error.message : String(error));
  }
}

/** Follows redirects by hand, re-checking every target; resolves with the first non-redirect 2xx response. */
async function safeFetchResponse(input: string, options: SafeFetchOptions, signal: AbortSignal): Promise<{ res: Response; url: string }> {
  const { maxRedirects = 3, fetchImpl = fetch } = options;
  let url = checkUrl(input, options);
  for (let hop = 0; ; hop++) {
    const res = await fetchImpl(url.toString(), { method: 'GET', redirect: 'manual', signal, headers: { accept: '*/*' } });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get('location');
      if (!location) throw new FetchFailedError(`${url.host} answered ${res.status} without a Location`, res.status);
      if (hop >= maxRedirects) throw new FetchFailedError(`more than ${maxRedirects} redirects`);
      url = checkUrl(new URL(location, url), options);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new FetchFailedError(`${url.host} answered ${res.status}`, res.status);
    }
    return { res, url: url.toString() };
  }
}

/** A response body, refusing as soon as more than `maxBytes` are declared or received. */
export function readBodyLimited(res: Response, maxBytes: number): Promise<Uint8Array> {
  return readBodyWithin(res, maxBytes, () => new FetchTooLargeError(maxBytes));
}

/** `ALLOW_INSECURE_FETCH_FOR_TESTS` is on only for the exact strings `1` or `true`. */
export const insecureFetchAllowed = (env: { ALLOW_INSECURE_FETCH_FOR_TESTS?: string }): boolean =>
  env.ALLOW_INSECURE_FETCH_FOR_TESTS === '1' || env.ALLOW_INSECURE_FETCH_FOR_TESTS === 'true';

/**
 * The client's answer for a failed fetch of the URL in request field `field`: a refused URL → 400
 * `url-not-allowed`, a body over the limit → `tooLarge()`, a failed or timed-out fetch → 422 `fetch-failed`;
 * anything else is returned as it is.
 *
 * @example
 * try { return await safeFetch(url, options); } catch (error) { throw fetchProblem(error, 'imageUrl', () => tooLarge(max)); }
 */
export function fetchProblem(error: unknown, field: string, tooLarge: () => ProblemError): unknown {
  if (error instanceof UnsafeUrlError) return new ProblemError(400, 'url-not-allowed', `${field}: ${error.message}`, { field });
  if (error instanceof FetchTooLargeError) return tooLarge();
  if (error instanceof FetchFailedError) return new ProblemError(422, 'fetch-failed', `${field} could not be fetched: ${error.message}`, { field });
  return error;
}
