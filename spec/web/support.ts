/** Web helpers: a free port for the web server, HTTP calls to it, and Prometheus text read back. */
import { request } from 'node:http';
import type { ServerConfig } from '../../lib/config.js';
import type { ApiBody } from '../../lib/web/api-reply.js';
import { E2E } from '../e2e/support.js';
import { freePort } from '../../scripts/bench/free-port.js';

export { freePort } from '../../scripts/bench/free-port.js';

/** A free port whose successor was free too (for the default web port, command port + 1). */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await freePort(port + 1)) === port + 1) return port;
  }
}

/** The real app with its web server on a free port; returns both ports and the base URL. */
export async function startWithWeb(e2e: E2E, config: Partial<ServerConfig> = {}) {
  const started = await e2e.start({ webPort: await freePort(), ...config });
  return { ...started, url: `http://127.0.0.1:${started.app.webPort}` };
}

export interface ApiResponse {
  status: number;
  body: ApiBody;
}

export async function getApi(url: string): Promise<ApiResponse> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as ApiBody };
}

export async function postApi(url: string, body: unknown, contentType = 'application/json'): Promise<ApiResponse> {
  const response = await fetch(`${url}/api`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as ApiBody };
}

/** A request with headers fetch() would not send as given (`Host`); resolves with the status and the body's text. */
export function sendWithHeaders(url: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** `name{labels} value` lines of a Prometheus scrape, keyed by everything before the value. */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}
