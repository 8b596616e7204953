import { createServer, request, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import { listenOnLoopback } from "./loopback";

export interface ForwardProxyOptions {
  /** Refuse requests and tunnels with this status instead of passing them on (407: credentials wanted). */
  refuseWith?: number;
  /** How many to refuse (default: all). */
  refusals?: number;
}

/**
 * A minimal HTTP proxy on loopback: plain forwarding (absolute-URI requests) and CONNECT tunnels. Records
 * each target it was asked for, so tests can tell which requests went through it.
 */
export async function startForwardProxy(
  options: ForwardProxyOptions = {},
): Promise<{ url: string; targets: string[]; stop: () => Promise<void> }> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  let refusals = options.refusals ?? Infinity;
  const refuses = () => options.refuseWith !== undefined && refusals-- > 0;
  const refusal = () =>
    `HTTP/1.1 ${options.refuseWith} Refused\r\n${options.refuseWith === 407 ? 'Proxy-Authenticate: Basic realm="proxy"\r\n' : ""}Content-Length: 0\r\n\r\n`;
  const server = createServer((req: IncomingMessage, res) => {
    const target = new URL(req.url ?? "/");
    targets.push(`${req.method} ${target.host}`);
    if (refuses()) {
      res.writeHead(options.refuseWith!, options.refuseWith === 407 ? { "proxy-authenticate": 'Basic realm="proxy"' } : {});
      res.end();
      req.resume();
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    targets.push(`CONNECT ${req.url}`);
    if (refuses()) {
      client.end(refusal());
      return;
    }
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return { ...(await listenOnLoopback(server, sockets)), targets };
}
