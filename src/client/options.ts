import { z } from "zod";
import { redact } from "../schema/secrets";
import { SdeConfigError } from "./errors";

/** The range of a whole-number setting, in the client's units (milliseconds, bytes, attempts, sockets). */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * The numeric settings' ranges: the one rule for a value given in code and for its stack-config twin,
 * which ./config reads (in seconds, for the durations) into the same range.
 */
export const RANGES = {
  timeoutMs: { min: 1, max: 600_000 },
  maxAttempts: { min: 1, max: 20 },
  retryTimeoutMs: { min: 1, max: 3_600_000 },
  maxResponseBytes: { min: 1, max: 1024 * 1024 * 1024 },
  retryBaseDelayMs: { min: 0, max: 60_000 },
  retryMaxDelayMs: { min: 0, max: 600_000 },
  connections: { min: 1, max: 1024 },
  maxConcurrentRequests: { min: 1, max: 256 },
} as const satisfies Record<string, Range>;

/** A whole number within `range`; `message` is said for any other value, whatever is wrong with it. */
export function wholeNumberIn(range: Range, message: string) {
  return z.int({ error: message }).min(range.min, message).max(range.max, message);
}

/** What a whole-number setting must be, counted in `unit` (none for a plain count). */
export function wholeNumberMessage(range: Range, unit?: string): string {
  return `must be a whole number${unit ? ` of ${unit}` : ""} from ${range.min} to ${range.max}`;
}

/** A whole number of `unit` within the setting's range, as given in code. */
function whole(range: Range, unit?: string) {
  return wholeNumberIn(range, wholeNumberMessage(range, unit));
}

/** The message of every on/off setting, given in code or in stack config. */
export const FLAG_MESSAGE = "must be true or false";

const CA_FILE_MESSAGE = "must be the path of a PEM file of the certificate authority to trust";

/**
 * The client's settings. Those with a stack-config twin in the provider are in ./config (CONFIG_KEYS),
 * and the two that every user needs have environment fallbacks: SDE_URL and SDE_API_TOKEN.
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
    .refine(
      (t) => /^[\x21-\x7e\s]*$/.test(t),
      "must be plain ASCII letters, digits and symbols: remove any invisible or accented character pasted with it",
    )
    .refine((t) => t.length <= 1024, "is too long to be an API token"),
  /** How long one attempt may wait for the server's answer. */
  timeoutMs: whole(RANGES.timeoutMs, "milliseconds").default(30_000),
  /** Attempts per request, the first included (1 = no retries). */
  maxAttempts: whole(RANGES.maxAttempts).default(5),
  /**
   * Time after which no retry of a request starts (waits included). The attempt under way keeps its own
   * timeouts (for the answer's headers, and between chunks of its body), and the whole request, waits and
   * every attempt included, is aborted after timeoutMs + retryTimeoutMs.
   */
  retryTimeoutMs: whole(RANGES.retryTimeoutMs, "milliseconds").default(60_000),
  /**
   * The largest answer read, in bytes (8 MiB: 1,000 connections with their last jobs, as the emulator lists
   * them, are under 1 MB). Reading stops there and the request fails, rather than buffering whatever a
   * server sends.
   */
  maxResponseBytes: whole(RANGES.maxResponseBytes, "bytes").default(8 * 1024 * 1024),
  /** First backoff delay; it doubles each retry, with jitter, up to retryMaxDelayMs. */
  retryBaseDelayMs: whole(RANGES.retryBaseDelayMs, "milliseconds").default(500),
  retryMaxDelayMs: whole(RANGES.retryMaxDelayMs, "milliseconds").default(10_000),
  /** PEM file of an extra certificate authority to trust (added to Node's own list). */
  caFile: z.string({ error: CA_FILE_MESSAGE }).min(1, CA_FILE_MESSAGE).optional(),
  /** Skip TLS certificate validation: only for lab servers with self-signed certificates. */
  insecureSkipVerify: z.boolean({ error: FLAG_MESSAGE }).default(false),
  /**
   * Most sockets kept open to the server (they are reused: keep-alive); never fewer than
   * maxConcurrentRequests are used, or a granted request would wait again, for a socket, out of the
   * budget's sight.
   */
  connections: whole(RANGES.connections, "sockets").default(32),
  /**
   * Most requests in flight at once, across everything the client does (./request-budget). 8: at 50-150 ms
   * a request that is still 50-160 requests a second, enough to keep a catalogue of thousands moving, and
   * gentle on a server that throttles. The engine runs up to 4 × CPUs resource operations at once through
   * one client; more of them than this simply queue, in order, rather than arrive together.
   */
  maxConcurrentRequests: whole(RANGES.maxConcurrentRequests).default(8),
  /**
   * Throttles (429, 503) pause every request of the client and halve how many are in flight (AIMD).
   * false is the escape hatch: each request waits out its own Retry-After or backoff, and
   * maxConcurrentRequests stays fixed.
   */
  adaptiveThrottling: z.boolean({ error: FLAG_MESSAGE }).default(true),
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

/**
 * The URL and the token may come from code, the stack config or the environment, and are judged here
 * wherever they come from: an error names all three. Any other setting that is wrong here was given in
 * code (the stack config's are judged under their own keys, by ./config), and is named as the option.
 */
const SETTING_NAMES: Partial<Record<string, string>> = {
  url: "url (sdelements:url, SDE_URL)",
  token: "token (sdelements:apiToken, SDE_API_TOKEN)",
};

/** Validated options, or a `config` error naming each bad setting and its fix. The token never appears in it. */
export function parseClientOptions(input: Partial<ClientOptionsInput>): ClientOptions {
  const { logger, ...rest } = input;
  const result = clientOptionsSchema.safeParse(rest);
  if (!result.success) {
    // A value can break a rule twice with one message (a number too large to be exact is also too large).
    const problems = new Set(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? "");
        return `${SETTING_NAMES[key] ?? key}: ${issue.message}`;
      }),
    );
    // The token is never echoed, but a URL or proxy setting could carry it pasted by mistake.
    const token = typeof rest.token === "string" ? [rest.token.trim()] : [];
    throw new SdeConfigError(redact(`invalid client settings: ${[...problems].join("; ")}`, token));
  }
  return { ...result.data, logger };
}

/** The server's base URL without a trailing slash or a pasted `/api/v2` suffix. */
export function baseUrlOf(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/api\/v2$/, "");
}
