import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback";

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
  return { ...(await listenOnLoopback(server)), requests };
}
