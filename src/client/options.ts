import { z } from "zod";
import { redact } from "../schema/secrets";
import { SdeConfigError } from "./errors";

/**
 * The client's settings. Every one has a stack-config twin in the provider (`sdelements:<name>`), and the
 * two that every user needs have environment fallbacks: SDE_URL and SDE_API_TOKEN.
 */
export const clientOptionsSchema = z.object({
  /** Base URL of the SD Elements server, e.g. `https://sde.example.com` (an `/api/v2` suffix is tolerated). */
  url: z
    .string({ error: "is required: set sdelements:url (or SDE_URL) to your SD Elements server, e.g. https://sde.example.com" })
    .trim()
    .superRefine((value, ctx) => {
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: invalidUrlMessage(value) });
        return;
      }
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
        ctx.addIssue({ code: "custom", message: `must be an http(s) URL such as https://sde.example.com, not a ${parsed.protocol} URL` });
      }
      if (parsed.username || parsed.password) {
        ctx.addIssue({ code: "custom", message: "must not contain a user name or password: put the API token in sdelements:apiToken" });
      }
      if (parsed.search || parsed.hash) {
        ctx.addIssue({ code: "custom", message: "must not have a query or fragment: give just the server's address" });
      }
    }),
  /** API token (SD Elements → your name → API Settings → Generate Token). Secret. */
  token: z
    .string({ error: "is required: set sdelements:apiToken (secret) or SDE_API_TOKEN to an SD Elements API token" })
    .trim()
    .min(1, "must not be empty or whitespace: set sdelements:apiToken (secret) or SDE_API_TOKEN to an SD Elements API token")
    .refine((t) => !/\s/.test(t), "must be a single word: an API token has no spaces or newlines")
    // What an HTTP header can carry: a pasted zero-width space or accented letter would fail every request.
    .refine((t) => /^[\x21-\x7e\s]*$/.test(t), "must be plain ASCII letters, digits and symbols: remove any invisible or accented character pasted with it")
    .refine((t) => t.length <= 1024, "is too long to be an API token"),
  /** How long one attempt may wait for the server's answer. */
  timeoutMs: z.int().positive().max(600_000).default(30_000),
  /** Attempts per request, the first included (1 = no retries). */
  maxAttempts: z.int().min(1).max(20).default(5),
  /**
   * Time after which no retry of a request starts (waits included). The attempt under way keeps its own
   * timeouts (for the answer's headers, and between chunks of its body), and the whole request, waits and
   * every attempt included, is aborted after timeoutMs + retryTimeoutMs.
   */
  retryTimeoutMs: z.int().positive().max(3_600_000).default(60_000),
  /**
   * The largest answer read, in bytes (8 MiB: 1,000 connections with their last jobs, as the emulator lists
   * them, are under 1 MB). Reading stops there and the request fails, rather than buffering whatever a
   * server sends.
   */
  maxResponseBytes: z.int().positive().max(1024 * 1024 * 1024).default(8 * 1024 * 1024),
  /** First backoff delay; it doubles each retry, with jitter, up to retryMaxDelayMs. */
  retryBaseDelayMs: z.int().nonnegative().max(60_000).default(500),
  retryMaxDelayMs: z.int().nonnegative().max(600_000).default(10_000),
  /** PEM file of an extra certificate authority to trust (added to Node's own list). */
  caFile: z.string().min(1).optional(),
  /** Skip TLS certificate validation: only for lab servers with self-signed certificates. */
  insecureSkipVerify: z.boolean().default(false),
  /** Most sockets kept open to the server (they are reused: keep-alive). */
  connections: z.int().positive().max(1024).default(32),
  /** Proxies; by default from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case forms). */
  httpProxy: z.string().optional(),
  httpsProxy: z.string().optional(),
  noProxy: z.string().optional(),
});

export type ClientOptionsInput = z.input<typeof clientOptionsSchema> & {
  /** Receives one redacted line per request (method, path, status, time, attempt); never headers or bodies. */
  logger?: ((line: string) => void) | undefined;
};
export type ClientOptions = z.output<typeof clientOptionsSchema> & {
  logger?: ((line: string) => void) | undefined;
};

/**
 * Why a URL does not parse, without echoing it: what was given may be a token pasted in the wrong place
 * (SD Elements' own connection string is `<token>@<host>`, which gets its own advice, naming the host only).
 */
function invalidUrlMessage(value: string): string {
  const at = value.lastIndexOf("@");
  const host = value.slice(at + 1);
  if (at > 0 && !value.includes("://") && /^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) {
    return `looks like an SD Elements connection string (<token>@${host}): put the part before @ in sdelements:apiToken (secret) and https://${host} in sdelements:url`;
  }
  return "must be an http(s) URL such as https://sde.example.com (what was given is not shown: it does not parse as a URL, and may be a secret pasted in the wrong place)";
}

/** Fills in SDE_URL, SDE_API_TOKEN, SDE_CA_FILE and SDE_INSECURE_SKIP_VERIFY from `env` where not given. */
export function withEnvironment(
  options: Partial<ClientOptionsInput>,
  env: NodeJS.ProcessEnv = process.env,
): Partial<ClientOptionsInput> {
  return {
    ...options,
    url: options.url ?? env.SDE_URL,
    token: options.token ?? env.SDE_API_TOKEN,
    caFile: options.caFile ?? (env.SDE_CA_FILE || undefined),
    insecureSkipVerify: options.insecureSkipVerify ?? (env.SDE_INSECURE_SKIP_VERIFY === "true" ? true : undefined),
  };
}

/** Where each setting comes from, so an error names what the user actually set. */
const SETTING_NAMES: Partial<Record<string, string>> = {
  url: "url (sdelements:url, SDE_URL)",
  token: "token (sdelements:apiToken, SDE_API_TOKEN)",
  timeoutMs: "timeoutMs (sdelements:timeout)",
  maxAttempts: "maxAttempts (sdelements:maxAttempts)",
  retryTimeoutMs: "retryTimeoutMs (sdelements:retryTimeout)",
  caFile: "caFile (sdelements:caFile, SDE_CA_FILE)",
  insecureSkipVerify: "insecureSkipVerify (sdelements:insecureSkipVerify)",
};

/** Validated options, or a `config` error naming each bad setting and its fix. The token never appears in it. */
export function parseClientOptions(input: Partial<ClientOptionsInput>): ClientOptions {
  const { logger, ...rest } = input;
  const result = clientOptionsSchema.safeParse(rest);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "");
      return `${SETTING_NAMES[key] ?? key}: ${issue.message}`;
    });
    // The token is never echoed, but a URL or proxy setting could carry it pasted by mistake.
    const token = typeof rest.token === "string" ? [rest.token.trim()] : [];
    throw new SdeConfigError(redact(`invalid client settings: ${problems.join("; ")}`, token));
  }
  return { ...result.data, logger };
}

/** The server's base URL without a trailing slash or a pasted `/api/v2` suffix. */
export function baseUrlOf(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/api\/v2$/, "");
}
