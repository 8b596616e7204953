import { startScriptedServer, type ScriptedServer } from "./scripted-server";

interface Request {
  method: string;
  path: string;
}
interface Answer {
  status: number;
  body: unknown;
}
/** What the proxy passes on: the server's answer, or a replacement; held back until a promise resolves. */
export type Tamper = (request: Request, answer: Answer) => Answer | undefined | Promise<Answer | undefined>;
/** An answer given in the server's place (the request never reaches it), or undefined to forward it. */
export type Intercept = (request: Request) => Answer | undefined;

/**
 * A reverse proxy on loopback in front of a real server (the emulator) that can change answers on their way
 * back: a server version whose answers differ from the documented shape, a gateway failing after the server
 * acted. Requests reach the server unchanged, unless `intercept` answers one in its place.
 */
export async function startTamperingProxy(target: string, tamper: Tamper, intercept: Intercept = () => undefined): Promise<ScriptedServer> {
  return startScriptedServer((req, res, body) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const instead = intercept({ method, path });
    if (instead) return instead;
    void (async () => {
      const upstream = await fetch(target + path, {
        method,
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => ["authorization", "content-type", "accept"].includes(k)) as [string, string][],
        ),
        body: body === "" ? undefined : body,
      });
      const text = await upstream.text();
      const original = { status: upstream.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
      const answer = (await tamper({ method, path }, original)) ?? original;
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    })().catch(() => res.destroy());
    return undefined;
  });
}
