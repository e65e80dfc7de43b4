// HTTP client for a GUI orchestrator that records every exchange for evidence.
// Credentials are added per request and never recorded: the Authorization header
// appears in the transcript as "Basic ***". A client can be bound to a local source
// address (127.0.0.N on loopback) so that the server sees distinct clients.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { InfraError } from '../errors.ts';

export interface BasicCredentials {
  user: string;
  pass: string;
}

export interface HttpExchange {
  at: string;
  client: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status?: number;
  responseHeaders?: IncomingHttpHeaders;
  responseBody?: string;
  error?: string;
  ms: number;
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** parsed body when it is JSON, else undefined */
  json: unknown;
}

export type AuthChoice = 'valid' | 'none' | BasicCredentials;

export interface RequestOptions {
  body?: string | object;
  auth?: AuthChoice;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

const BODY_LIMIT_IN_TRANSCRIPT = 4000;

export class GuiHttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly credentials: BasicCredentials | undefined,
    /** local source address, or undefined for the OS default */
    readonly localAddress: string | undefined,
    /** shared between clients derived with as(): one transcript per test */
    readonly exchanges: HttpExchange[] = [],
  ) {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`GUI url ${baseUrl} must be http:// or https://`);
  }

  /** the same target seen from another source address */
  as(localAddress: string | undefined): GuiHttpClient {
    return new GuiHttpClient(this.baseUrl, this.credentials, localAddress, this.exchanges);
  }

  get(path: string, opts: Omit<RequestOptions, 'body'> = {}): Promise<HttpResult> {
    return this.request('GET', path, opts);
  }

  post(path: string, body: string | object, opts: Omit<RequestOptions, 'body'> = {}): Promise<HttpResult> {
    return this.request('POST', path, { ...opts, body });
  }

  request(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResult> {
    const url = new URL(path, this.baseUrl);
    const body =
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body);
    const headers: Record<string, string> = {
      accept: '*/*',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    };
    const recorded: Record<string, string> = { ...headers };
    const auth = opts.auth ?? 'valid';
    if (auth !== 'none') {
      const c = auth === 'valid' ? this.credentials : auth;
      if (c) {
        headers['authorization'] = `Basic ${Buffer.from(`${c.user}:${c.pass}`).toString('base64')}`;
        recorded['authorization'] =
          auth === 'valid'
            ? 'Basic *** (configured credentials)'
            : 'Basic *** (deliberately wrong credentials)';
      }
    }
    const exchange: HttpExchange = {
      at: new Date().toISOString(),
      client: this.localAddress ?? 'default',
      method,
      url: url.toString(),
      requestHeaders: recorded,
      requestBody: body?.slice(0, BODY_LIMIT_IN_TRANSCRIPT),
      ms: 0,
    };
    this.exchanges.push(exchange);
    const started = performance.now();
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<HttpResult>((resolve, reject) => {
      const req = send(
        url,
        {
          method,
          headers,
          agent: false,
          localAddress: this.localAddress,
          timeout: opts.timeoutMs ?? 5000,
          family: this.localAddress?.includes(':') ? 6 : this.localAddress ? 4 : undefined,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            exchange.status = res.statusCode ?? 0;
            exchange.responseHeaders = res.headers;
            exchange.responseBody = text.slice(0, BODY_LIMIT_IN_TRANSCRIPT);
            exchange.ms = Math.round(performance.now() - started);
            let json: unknown;
            if (/json/.test(String(res.headers['content-type'] ?? ''))) {
              try {
                json = JSON.parse(text);
              } catch {
                json = undefined;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
          res.on('error', (e) => reject(this.failure(exchange, e, started)));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no response within ${opts.timeoutMs ?? 5000} ms`)));
      req.on('error', (e) => reject(this.failure(exchange, e, started)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  private failure(exchange: HttpExchange, e: Error, started: number): Error {
    exchange.error = e.message;
    exchange.ms = Math.round(performance.now() - started);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRNOTAVAIL') {
      return new InfraError(
        `cannot send from local address ${this.localAddress}: ${e.message}`,
        'set gui.clientAddresses to addresses this host owns',
      );
    }
    return new InfraError(
      `GUI at ${this.baseUrl} unreachable (${exchange.method} ${exchange.url}): ${e.message}`,
      'check gui.url in the config and that the GUI is running',
    );
  }

  /** the exchanges so far, as readable text for evidence */
  transcript(): string {
    return this.exchanges
      .map((x) => {
        const lines = [
          `### ${x.at} [client ${x.client}] ${x.method} ${x.url} → ${x.status ?? 'no response'} (${x.ms} ms)`,
        ];
        for (const [k, v] of Object.entries(x.requestHeaders)) lines.push(`> ${k}: ${v}`);
        if (x.requestBody !== undefined) lines.push(`> ${x.requestBody}`);
        if (x.error) lines.push(`! ${x.error}`);
        for (const [k, v] of Object.entries(x.responseHeaders ?? {})) lines.push(`< ${k}: ${String(v)}`);
        if (x.responseBody !== undefined) lines.push(`< ${x.responseBody}`);
        return lines.join('\n');
      })
      .join('\n\n');
  }
}
