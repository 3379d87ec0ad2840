/**
 * Which `Host` (and `Origin`) a web request may carry: the defence against DNS rebinding. A hostile
 * page can make its own name resolve to this machine; it is then same-origin with this server, and
 * a browser on an allowed address would run its requests here, but they would name the hostile
 * host. So the web port serves only requests addressed to an IP address, `localhost`, or a name it
 * knows as its own.
 */
import { isIP } from 'node:net';

/** The `Origin` may differ from the `Host` only on requests that cannot change anything. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `--web-hosts` entry meaning any host (the check off). */
const ANY_HOST = '*';

const NAME = String.raw`[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?`;
const HOST_NAME = new RegExp(`^${NAME}$`, 'i');
/** `name[:port]`, `a.b.c.d[:port]` or `[v6][:port]`; the port is ignored. */
const HOST_HEADER = new RegExp(String.raw`^(?:\[([0-9a-f:.]+)\]|(${NAME}))(?::\d{0,5})?$`, 'i');

/** The headers that say where a request was sent (undefined when absent). */
export interface RequestAddress {
  method: string;
  host: string | undefined;
  origin: string | undefined;
}

/** A valid `--web-hosts` entry: a host name (no port, no scheme), or `*`. */
export function isHostEntry(entry: string): boolean {
  return entry === ANY_HOST || HOST_NAME.test(entry);
}

/** The names the web port answers to besides addresses and localhost: `--web-hosts`, this machine's name (whole and short), `--host`. */
export function serverHostNames(webHosts: readonly string[], machineName: string, bindHost: string): string[] {
  const shortName = machineName.split('.')[0] ?? machineName;
  return [...webHosts, machineName, shortName, bindHost].map(canonicalName);
}

/**
 * Why the request must be refused, or undefined to serve it. A request without a Host (HTTP/1.0;
 * node refuses an HTTP/1.1 one itself) is served: browsers always send one, so it is no rebinding.
 * A request that may change state is refused also when its Origin is not the Host it was sent to.
 */
export function hostRefusal({ method, host, origin }: RequestAddress, names: readonly string[]): string | undefined {
  if (!isServerHost(host, names)) return `Host ${JSON.stringify(host)} is not a name of this server (allow it with --web-hosts)`;
  if (!SAFE_METHODS.has(method) && origin !== undefined && !isSameOrigin(origin, host)) {
    return `cross-origin ${method} from ${JSON.stringify(origin)} to ${JSON.stringify(host)}`;
  }
  return undefined;
}

function isServerHost(host: string | undefined, names: readonly string[]): boolean {
  if (host === undefined || host === '' || names.includes(ANY_HOST)) return true;
  const [, ipv6, name] = HOST_HEADER.exec(host) ?? [];
  if (ipv6 !== undefined) return isIP(ipv6) === 6;
  if (name === undefined) return false;
  const canonical = canonicalName(name);
  return isIP(canonical) === 4 || canonical === 'localhost' || canonical.endsWith('.localhost') || names.includes(canonical);
}

/** An Origin (`http://name:port`) names the same server as a Host (`name:port`); an opaque `null` Origin never does. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host || !URL.canParse(origin)) return false;
  const { protocol, host: originHost } = new URL(origin);
  // The Host read with the Origin's scheme, so that a default port is dropped from both alike.
  const sentTo = `${protocol}//${host}`;
  return URL.canParse(sentTo) && new URL(sentTo).host === originHost;
}

/** Host names compare without case and without a final dot (`CCD-Lab.` is `ccd-lab`). */
function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
