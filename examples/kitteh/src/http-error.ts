// The one error shape the HTTP layer answers with: a status, a stable code for JSON clients and
// tests, and a sentence for people.

/** A failure that is the request's fault (4xx) or a known server condition (503). */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  /** Extra response headers (Allow on a 405; Connection: close when the body was not read). */
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown; headers?: Record<string, string> }) {
    super(message, options);
    this.status = status;
    this.code = code;
    this.headers = options?.headers ?? {};
  }
}
