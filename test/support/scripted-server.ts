import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One answer: status, JSON body (or raw text), headers. */
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ScriptedServer {
  url: string;
  /** Method, path and body of every request, in order. */
  requests: { method: string; path: string; body: string }[];
  stop(): Promise<void>;
}

/**
 * A real HTTP server on loopback that answers from a script: for answers no SD Elements server (and so
 * not the emulator) should give, but a proxy, a login page or a future server version might. The handler
 * may also write to the response itself (to cut it off, say) and return undefined.
 */
export async function startScriptedServer(
  answer: (req: IncomingMessage, res: ServerResponse, body: string) => ScriptedAnswer | undefined,
): Promise<ScriptedServer> {
  const requests: ScriptedServer["requests"] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", path: req.url ?? "", body });
      const scripted = answer(req, res, body);
      if (!scripted) return;
      const text = typeof scripted.body === "string" ? scripted.body : scripted.body === undefined ? "" : JSON.stringify(scripted.body);
      res.writeHead(scripted.status, { "content-type": "application/json", ...scripted.headers });
      res.end(text);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
