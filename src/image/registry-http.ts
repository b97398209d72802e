// A minimal HTTP client for the distribution API (distribution spec "Pull"/"Push"): bodies streamed,
// the two auth schemes registries answer 401 with (Basic; Bearer tokens), and retries of transient
// failures with backoff as go-containerregistry's transport does (5xx, 408, 429, connection resets).
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { SeabuildError, type ErrorCode } from '../errors.ts';
import type { Logger } from '../log.ts';

/** A registry answer; the body is kept only up to 64 KiB (error documents and tokens are small). */
export interface RegistryResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Where and as whom to talk to one repository. */
export interface RegistrySession {
  base: URL;
  repository: string;
  credentials?: { username: string; password: string };
  /** The Authorization header that last worked. */
  authorization?: string;
  /** How transient failures are retried; default DEFAULT_RETRY. */
  retry?: RetryPolicy;
  /** Where a retry is announced (a push that waits says why). */
  logger?: Logger;
}

/** Tries per request and the wait before each retry: `firstDelayMs`, then × `factor`. */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  factor: number;
}

/** go-containerregistry's remote default: 3 tries, 1 s then 3 s apart. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 1000, factor: 3 };

/** Statuses that say "try again" (ggcr's defaultRetryStatusCodes). */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Socket errors of a connection that went away or never came: another try may well work. */
const TRANSIENT_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Sends a request; on 401 answers the WWW-Authenticate challenge once and retries. `body` is a
 * buffer or a function opening a fresh stream (a retry needs the bytes again).
 */
export async function registryRequest(
  session: RegistrySession, method: string, target: string | URL,
  options: { headers?: Record<string, string>; body?: Buffer | (() => Readable); sizeBytes?: number } = {},
): Promise<RegistryResponse> {
  const url = new URL(target, session.base);
  const send = () => withRetries(session, `${method} ${url.pathname}`, () => sendOnce(url, method, { ...options.headers, ...authorizationHeader(session, url) }, options.body, options.sizeBytes));
  const first = await send();
  if (first.status !== 401) return first;
  session.authorization = await answerChallenge(session, String(first.headers['www-authenticate'] ?? ''));
  const second = await send();
  if (second.status === 401) throw registryError('REGISTRY_UNAUTHORIZED', session, `${method} ${url.pathname}`, second, 'check the registry user name and password (or token)');
  return second;
}

/** Runs `attempt` until it gives an answer that is not transient, or the tries run out (the last answer or error stands). */
async function withRetries(session: RegistrySession, request: string, attempt: () => Promise<RegistryResponse>): Promise<RegistryResponse> {
  const policy = session.retry ?? DEFAULT_RETRY;
  for (let tried = 1, delayMs = policy.firstDelayMs; ; tried++, delayMs *= policy.factor) {
    let outcome: RegistryResponse | SeabuildError;
    try {
      outcome = await attempt();
    } catch (error) {
      if (!isTransientError(error)) throw error;
      outcome = error as SeabuildError;
    }
    const transient = outcome instanceof SeabuildError || TRANSIENT_STATUSES.has(outcome.status);
    if (!transient || tried >= policy.attempts) {
      if (outcome instanceof SeabuildError) throw outcome;
      return outcome;
    }
    const waitMs = Math.max(delayMs, retryAfterMs(outcome));
    session.logger?.info(`registry: ${request} ${outcome instanceof SeabuildError ? `failed (${(outcome.cause as NodeJS.ErrnoException | undefined)?.code ?? outcome.message})` : `answered ${outcome.status}`}; retrying in ${(waitMs / 1000).toFixed(1)} s (try ${tried + 1} of ${policy.attempts})`);
    await sleep(waitMs);
  }
}

function isTransientError(error: unknown): boolean {
  if (!(error instanceof SeabuildError) || error.code !== 'REGISTRY_UNREACHABLE') return false;
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  return TRANSIENT_ERRORS.has(cause?.code ?? '') || /socket hang up/.test(cause?.message ?? '');
}

/** A Retry-After in seconds (429, 503), at most 30 s: longer is a registry asking to come back later, not a retry. */
function retryAfterMs(outcome: RegistryResponse | SeabuildError): number {
  if (outcome instanceof SeabuildError) return 0;
  const seconds = Number(outcome.headers['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 0;
}

/** The error for an unexpected answer: status, the registry's own error text, and the request. */
export function registryError(code: ErrorCode, session: RegistrySession, request: string, response: RegistryResponse, fix: string): SeabuildError {
  let detail = response.body.toString('utf8').slice(0, 500);
  try {
    const errors = JSON.parse(detail).errors as Array<{ code: string; message: string }>;
    detail = errors.map((error) => `${error.code}: ${error.message}`).join('; ');
  } catch { /* not a distribution error document */ }
  return new SeabuildError({
    code,
    message: `${session.base.host}/${session.repository}: ${request} answered ${response.status}${detail ? ` (${detail})` : ''}`,
    fix,
  });
}

/** Credentials go to the registry's own host only, never to where an upload Location points elsewhere. */
function authorizationHeader(session: RegistrySession, url: URL): Record<string, string> {
  return session.authorization && url.host === session.base.host ? { authorization: session.authorization } : {};
}

/** RFC 7235 challenge: Basic uses the credentials directly; Bearer fetches a token (docker token auth spec). */
async function answerChallenge(session: RegistrySession, challenge: string): Promise<string> {
  const basic = session.credentials && `Basic ${Buffer.from(`${session.credentials.username}:${session.credentials.password}`).toString('base64')}`;
  if (/^basic\b/i.test(challenge) && basic) return basic;
  if (!/^bearer\b/i.test(challenge)) {
    throw new SeabuildError({ code: 'REGISTRY_UNAUTHORIZED', message: `${session.base.host} requires credentials (${challenge || 'no challenge'})`, fix: 'give the registry user name and password' });
  }
  const parameters = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!.toLowerCase(), match[2]!]));
  const tokenUrl = new URL(parameters.realm ?? '');
  if (parameters.service) tokenUrl.searchParams.set('service', parameters.service);
  tokenUrl.searchParams.set('scope', `repository:${session.repository}:pull,push`);
  const answer = await sendOnce(tokenUrl, 'GET', basic ? { authorization: basic } : {});
  if (answer.status !== 200) throw registryError('REGISTRY_UNAUTHORIZED', session, 'token request', answer, 'check the registry user name and password (or token)');
  const json = JSON.parse(answer.body.toString('utf8')) as { token?: string; access_token?: string };
  return `Bearer ${json.token ?? json.access_token ?? ''}`;
}

function sendOnce(url: URL, method: string, headers: Record<string, string>, body?: Buffer | (() => Readable), sizeBytes?: number): Promise<RegistryResponse> {
  const client = url.protocol === 'https:' ? https : http;
  const length = Buffer.isBuffer(body) ? body.byteLength : sizeBytes;
  const allHeaders = length === undefined ? headers : { ...headers, 'content-length': String(length) };
  return new Promise<RegistryResponse>((resolve, reject) => {
    const request = client.request(url, { method, headers: allHeaders }, (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => { if ((kept += chunk.byteLength) <= MAX_BODY_BYTES) chunks.push(chunk); });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', (cause) => reject(unreachable(url, cause)));
    });
    request.on('error', (cause) => reject(unreachable(url, cause)));
    if (body === undefined) request.end();
    else if (Buffer.isBuffer(body)) request.end(body);
    else pipeline(body(), request).catch((error: unknown) => request.destroy(error as Error));
  });
}

function unreachable(url: URL, cause: Error): SeabuildError {
  return new SeabuildError({
    code: 'REGISTRY_UNREACHABLE',
    message: `cannot reach ${url.host} (${(cause as NodeJS.ErrnoException).code ?? cause.message})`,
    fix: 'check the registry address; a plain-http registry needs the insecure option',
    cause,
  });
}
