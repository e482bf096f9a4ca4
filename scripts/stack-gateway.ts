import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * The local stand-in for the cluster's ingress (deploy/helm/.../ingress.yaml): `/ws` to
 * websocket-sync, everything else to the api, so the web app has one origin. Each request or
 * upgrade goes to the next replica in turn, as a Kubernetes Service spreads connections. Plain
 * HTTP and WebSocket upgrades are forwarded as bytes; loopback only.
 */
export async function startGateway(
  port: number,
  routes: { ws: string[]; api: string[] },
): Promise<{ close(): Promise<void> }> {
  const tunnels = new Set<Socket>();
  let turn = 0;
  const targetOf = (url = '/') => {
    const replicas = url === '/ws' || url.startsWith('/ws?') ? routes.ws : routes.api;
    turn = (turn + 1) % 1_000_000;
    return new URL(replicas[turn % replicas.length] as string);
  };

  const server = createServer((request, response) => {
    const target = targetOf(request.url);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: forwardedHeaders(request),
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end('{"error":{"code":"bad_gateway","message":"service unavailable"}}');
    });
    request.pipe(upstream);
  });

  server.on('upgrade', (request, socket, head) => {
    const target = targetOf(request.url);
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(forwardedHeaders(request)).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value ?? '']).map((v) => `${name}: ${v}\r\n`),
      );
      upstream.write(`${request.method} ${request.url} HTTP/1.1\r\n${headers.join('')}\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    tunnels.add(socket as Socket);
    socket.once('close', () => tunnels.delete(socket as Socket));
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    // Open sockets (keep-alive, WebSocket tunnels) are cut, or close would wait for them.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
      }),
  };
}

/**
 * The request's headers with the client's address appended to X-Forwarded-For, as an ingress
 * does: the services trust this hop (TRUST_PROXY=loopback), so each client keeps its own login
 * limit; an address the client wrote itself stays to the left and is not believed.
 */
function forwardedHeaders(request: IncomingMessage): IncomingMessage['headers'] {
  const client = request.socket.remoteAddress ?? '';
  const earlier = request.headers['x-forwarded-for'];
  return { ...request.headers, 'x-forwarded-for': earlier ? `${earlier}, ${client}` : client };
}
