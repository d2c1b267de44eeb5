import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiGateway, GatewayResponse } from './api-gateway.ts';
import { gatewayProblem } from './gateway-responses.ts';
import type { GatewayRequest } from './proxy-event.ts';

/** Far above what any route takes (handlers refuse more than 256 KB); the cap only keeps a runaway client from filling memory. */
export const maxRequestBytes = 1024 * 1024;

export interface HttpServerOptions {
  port: number;
  /** Loopback by default: `/local/token` mints a token for anyone who can reach it. */
  host?: string;
  gateway: ApiGateway;
  /** One line per request (`npm start` prints them); silent when undefined. */
  accessLog?: (line: string) => void;
}

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Reads the whole body, or reports that it is over the cap. It keeps draining so the client still reads the 413. */
const readBody = (req: IncomingMessage): Promise<{ body: string | null } | { tooLarge: true }> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > maxRequestBytes;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? { tooLarge: true } : { body: size === 0 ? null : Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });

const write = (res: ServerResponse, response: GatewayResponse): void => {
  res.writeHead(response.statusCode, response.headers);
  res.end(response.body);
};

const fromProxyResult = (result: { statusCode: number; headers?: Record<string, unknown>; body: string }): GatewayResponse => ({
  statusCode: result.statusCode,
  headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)])),
  body: result.body,
});

/** Serves the local API Gateway over node:http. */
export const startHttpServer = async (options: HttpServerOptions): Promise<HttpServer> => {
  let port = options.port;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://local');
    const read = await readBody(req);
    let response: GatewayResponse;
    if ('tooLarge' in read) {
      response = fromProxyResult(gatewayProblem.payloadTooLarge(maxRequestBytes));
    } else {
      const request: GatewayRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.search.slice(1),
        rawHeaders: req.rawHeaders,
        body: read.body,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        requestId,
        receivedAt: new Date(),
        serverPort: port,
      };
      response = await options.gateway(request);
    }
    write(res, response);
    options.accessLog?.(`${req.method} ${req.url} → ${response.statusCode} ${(performance.now() - started).toFixed(1)} ms`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the runtime itself, not in a handler: say so, and never leave the client hanging.
      console.error('[local api] runtime error', error);
      if (!res.headersSent) write(res, fromProxyResult(gatewayProblem.runtimeFailed()));
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  port = address.port;
  // A wildcard bind is reached through loopback; the URL names an address a client can call.
  const host =
    address.address === '0.0.0.0' || address.address === '::'
      ? '127.0.0.1'
      : address.address.includes(':')
        ? `[${address.address}]`
        : address.address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // Keep-alive sockets would hold close() open for seconds; in-flight requests get a moment to finish.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }),
  };
};
