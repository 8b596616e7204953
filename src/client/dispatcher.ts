import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Agent, EnvHttpProxyAgent, interceptors, Pool, type Dispatcher } from "undici";
import { redact } from "../schema/secrets";
import { SdeConfigError } from "./errors";
import { PROXY_URL_ADVICE } from "./messages";
import { budgetInterceptor } from "./budget-interceptor";
import type { ClientOptions } from "./options";
import type { RequestBudget } from "./request-budget";

/**
 * The undici dispatcher every request of one client goes through: keep-alive sockets per origin, proxies
 * from the settings or the environment, the extra CA or the opt-out of certificate checks, a timeout on
 * every attempt and a limit on every answer's size, undici's retry interceptor (which the transport
 * tells, request by request, what to retry), and under it the budget, which every attempt goes through. Settings it cannot use are a config error, thrown here
 * before anything is sent.
 */
export function createDispatcher(options: ClientOptions, budget: RequestBudget): Dispatcher {
  const tls = {
    rejectUnauthorized: !options.insecureSkipVerify,
    ...(options.caFile ? { ca: [...rootCertificates, readCaFile(options.caFile, options.token)] } : {}),
  };
  // undici's own limit on an answer's size: it stops reading there (per chunk, Content-Length or not).
  const bounded = { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, maxResponseSize: options.maxResponseBytes };
  const agentOptions = {
    // A slot of the budget without a socket would wait again in undici's queue, out of the budget's sight.
    connections: Math.max(options.connections, options.maxConcurrentRequests),
    ...bounded,
    connect: { ...tls, timeout: options.timeoutMs },
  };
  const timedPool = (origin: string | URL, opts: Pool.Options) => new Pool(origin, { ...opts, ...bounded });
  // undici's EnvHttpProxyAgent reads HTTP(S)_PROXY and NO_PROXY (and their lower-case forms); with no
  // proxy anywhere a plain Agent does the same without a proxy decision on every request.
  const proxied = proxySettings(options).length > 0;
  const agent = proxied
    ? new EnvHttpProxyAgent({
        ...agentOptions,
        httpProxy: options.httpProxy,
        httpsProxy: options.httpsProxy,
        noProxy: options.noProxy,
        requestTls: tls,
        // An https:// proxy is checked with the same CA and the same opt-out as the server.
        proxyTls: tls,
        // A ProxyAgent makes its own clients (to the proxy for CONNECT, and for plain-HTTP targets)
        // without the agent's timeouts; without these a silent proxy or server is waited on for minutes.
        connectTimeout: options.timeoutMs,
        clientFactory: timedPool,
        factory: timedPool,
      } as EnvHttpProxyAgent.Options)
    : new Agent(agentOptions);
  // The last is outermost: the retry interceptor dispatches each attempt through the budget's.
  return agent.compose(budgetInterceptor(budget, options), interceptors.retry({ throwOnError: false }));
}

/**
 * The proxies in force, checked: undici would otherwise throw a bare TypeError that names no setting (and
 * carries the URL, password included, in its `input`). The same precedence as undici's EnvHttpProxyAgent:
 * the setting, else the lower-case variable, else the upper-case one; only those are judged.
 */
function proxySettings(options: ClientOptions): string[] {
  const env = process.env;
  // The first one set wins, as undici's `??` has it: an empty variable means "no proxy".
  const pick = (...named: [string, string | undefined][]) => named.find((entry) => entry[1] !== undefined);
  const inForce = [
    pick(["httpProxy", options.httpProxy], ["http_proxy", env.http_proxy], ["HTTP_PROXY", env.HTTP_PROXY]),
    pick(["httpsProxy", options.httpsProxy], ["https_proxy", env.https_proxy], ["HTTPS_PROXY", env.HTTPS_PROXY]),
  ].filter((entry): entry is [string, string] => entry !== undefined && entry[1] !== "");
  for (const [name, value] of inForce) {
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    if (!protocol || !PROXY_PROTOCOLS.includes(protocol)) {
      // Shown without anything before an @: a proxy URL may carry a password.
      const shown = value.includes("@") ? `…@${value.slice(value.lastIndexOf("@") + 1)}` : value;
      throw new SdeConfigError(`invalid proxy setting ${name}: ${JSON.stringify(shown)} is not an http(s) proxy URL: ${PROXY_URL_ADVICE}`);
    }
  }
  return inForce.map(([, value]) => value);
}

/**
 * The proxies this client supports. undici also speaks SOCKS, but the TLS settings this client passes for
 * https proxies would wrap a SOCKS handshake in TLS, so SOCKS is refused by name rather than failing later.
 */
const PROXY_PROTOCOLS = ["http:", "https:"];

/** The CA file's text; an error names the path, unless it is the token pasted into the wrong setting. */
function readCaFile(path: string, token: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    throw new SdeConfigError(redact(`cannot read the CA file ${path} (sdelements:caFile): ${(cause as Error).message}`, [token]));
  }
}
