import { z } from "zod";
import { describeIssues } from "../schema/validation";
import { FREQUENCIES } from "./rules/connection";

/**
 * Injected failures, for testing how a client copes with an unreliable server. Each fault applies to the
 * next `count` requests that match it (by method and path prefix, when given) and then disarms itself;
 * a rate limit has no count and stays armed until the faults are cleared.
 * The same schema checks faults armed in-process and through the control surface.
 */

const count = z.int({ error: "must be a whole number" }).positive("must be at least 1").max(1_000_000);
const match = {
  /** Only requests with this method (any case). */
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, "must be an HTTP method such as GET")
    .transform((m) => m.toUpperCase())
    .optional(),
  /** Only requests whose path (without query) starts with this. */
  path: z.string().startsWith("/", "must be a path starting with /").optional(),
  /** Only every Nth matching request (default 1: each), for a steady share of faults under load. */
  every: z.int({ error: "must be a whole number" }).positive("must be at least 1").max(1_000_000).default(1),
};

const latencySchema = z.strictObject({
  kind: z.literal("latency"),
  ms: z.int({ error: "must be a whole number of milliseconds" }).nonnegative().max(600_000),
  count: count.default(1),
  ...match,
});
const throttleSchema = z.strictObject({
  kind: z.literal("throttle"),
  count,
  /** Seconds, or an HTTP-date, as the Retry-After header allows both. */
  retryAfter: z.union([
    z.int().nonnegative().max(86_400),
    // An HTTP-date exactly (IMF-fixdate), as a header may carry it: Date.parse would take far more.
    z
      .string()
      .regex(
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/,
        'must be a number of seconds or an HTTP-date such as "Wed, 21 Oct 2015 07:28:00 GMT"',
      )
      .refine((s) => new Date(s).toUTCString() === s, 'must be a real date, as an HTTP-date such as "Wed, 21 Oct 2015 07:28:00 GMT"'),
  ]),
  ...match,
});
/**
 * DRF's throttling (SimpleRateThrottle): at most `requests` in any `windowMs` (a sliding window of the
 * times of the requests it let through), beyond that 429 with Retry-After, the seconds until the oldest
 * of them leaves the window (at least 1, as DRF rounds up). No count: a server's throttle stays.
 */
const rateLimitSchema = z.strictObject({
  kind: z.literal("rateLimit"),
  requests: z.int({ error: "must be a whole number of requests" }).positive("must be at least 1").max(1_000_000),
  windowMs: z.int({ error: "must be a whole number of milliseconds" }).positive("must be at least 1").max(86_400_000),
  method: match.method,
  path: match.path,
});
/**
 * Whether the request is handled (a POST creates its connection) before the fault answers in its place: a
 * proxy or a server that fails after the change was made, which a client must not take for "not applied".
 */
const applied = z.boolean({ error: "must be true or false" }).default(false);
const milliseconds = z.int({ error: "must be a whole number of milliseconds" }).nonnegative().max(600_000);

const serverErrorSchema = z.strictObject({
  kind: z.literal("serverError"),
  count,
  status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
  applied,
  ...match,
});
const resetSchema = z.strictObject({
  kind: z.literal("reset"),
  count,
  /** Applies the request this long after the reset (a server that commits a moment after the socket dropped). */
  appliedAfterMs: milliseconds.optional(),
  ...match,
});
const dropResponseSchema = z.strictObject({ kind: z.literal("dropResponse"), count, ...match });
const hangSchema = z.strictObject({ kind: z.literal("hang"), count, applied, ...match });
const slowBodySchema = z.strictObject({
  kind: z.literal("slowBody"),
  count,
  /** One byte of the body every this many milliseconds: each chunk comes well within a per-chunk timeout. */
  intervalMs: z.int({ error: "must be a whole number of milliseconds" }).positive().max(60_000).default(200),
  /** Instead of the answer, whitespace that never ends (until the client hangs up or the emulator stops). */
  endless: z.boolean({ error: "must be true or false" }).default(false),
  ...match,
});
const oversizedBodySchema = z.strictObject({
  kind: z.literal("oversizedBody"),
  count,
  /** The size of the answer sent: its JSON, then whitespace up to this many bytes (declared in Content-Length). */
  bytes: z
    .int({ error: "must be a whole number of bytes" })
    .positive()
    .max(4 * 1024 * 1024 * 1024),
  ...match,
});
const foreignAnswerSchema = z.strictObject({
  kind: z.literal("foreignAnswer"),
  count,
  /** The connection whose representation answers (default: the oldest one other than the one just made or changed). */
  connection: z.int({ error: "must be the id of a connection" }).positive().optional(),
  /**
   * Instead of another connection: the one just made, with these fields changed (a stale cache, a server
   * that stored something else), so that an answer can differ from the request in one field only.
   */
  altered: z
    .strictObject({
      alias: z.string().optional(),
      project: z.int().positive().optional(),
      connector: z.int().positive().optional(),
      frequency: z.enum(FREQUENCIES).optional(),
      debug_mode: z.boolean().optional(),
    })
    .optional(),
  ...match,
});
const foreignIdSchema = z.strictObject({
  kind: z.literal("foreignId"),
  count,
  /** The id the malformed answer carries, `{"id": <id>, "email": ...}` (someone else's object). */
  id: z.int({ error: "must be a whole number" }).positive(),
  ...match,
});
export const ECHO_FORMS = ["raw", "json", "trimmed", "urlencoded", "key"] as const;
const echoSchema = z.strictObject({
  kind: z.literal("echo"),
  count,
  status: z.int({ error: "must be an HTTP status" }).min(200).max(599).default(400),
  /**
   * How the request (its body and its Authorization header) comes back: `raw` text, inside a JSON `detail`
   * (so JSON-escaped), or each value as a field error `trimmed`, `urlencoded`, or as the field error's `key`.
   */
  form: z.enum(ECHO_FORMS, { error: `must be one of ${ECHO_FORMS.join(", ")}` }),
  ...match,
});
const redirectSchema = z.strictObject({
  kind: z.literal("redirect"),
  count,
  status: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).default(302),
  location: z.url({ error: "must be an absolute URL" }),
  ...match,
});

export const faultSpecSchema = z.discriminatedUnion("kind", [
  latencySchema,
  throttleSchema,
  rateLimitSchema,
  serverErrorSchema,
  resetSchema,
  dropResponseSchema,
  hangSchema,
  slowBodySchema,
  oversizedBodySchema,
  foreignAnswerSchema,
  foreignIdSchema,
  echoSchema,
  redirectSchema,
]);
export type FaultSpec = z.input<typeof faultSpecSchema>;
export type ArmedFault = z.output<typeof faultSpecSchema>;
export type FaultKind = ArmedFault["kind"];

/** The options of the fault of this kind, as its method on {@link Faults} takes them. */
export type FaultOptions<K extends FaultKind> = Omit<Extract<FaultSpec, { kind: K }>, "kind">;
export type LatencyFault = FaultOptions<"latency">;
export type ThrottleFault = FaultOptions<"throttle">;
export type RateLimitFault = FaultOptions<"rateLimit">;
export type ServerErrorFault = FaultOptions<"serverError">;
export type SocketFault = FaultOptions<"dropResponse">;

/**
 * The faults that decide a request's fate, as opposed to latency, which only delays it; a rate limit
 * decides as the throttle it answers with.
 */
export type ActionFault = Exclude<ArmedFault, { kind: "latency" | "rateLimit" }>;

/** The faults to apply to one request, already consumed from their counts. */
export interface FaultsForRequest {
  delayMs: number;
  action: ActionFault | undefined;
}

export class Faults {
  /**
   * Armed faults in the order they were armed; the first match applies. `seen` counts the matching
   * requests (for `every`); `passed`, for a rate limit, holds the times of the requests it let through.
   */
  private armed: (ArmedFault & { seen: number; passed: number[] })[] = [];
  private applied = 0;

  /** `now` is the clock of the rate limits' windows. */
  constructor(private readonly now: () => number = Date.now) {}

  /** How many faults have been applied so far (latencies included). */
  get injected(): number {
    return this.applied;
  }

  /** Delays the next `count` (default 1) matching requests by `ms` before they are handled. */
  latency(options: LatencyFault): void {
    this.arm({ kind: "latency", ...options });
  }

  /** 429 with Retry-After and DRF's throttling message. */
  throttle(options: ThrottleFault): void {
    this.arm({ kind: "throttle", ...options });
  }

  /** At most `requests` in any `windowMs`, beyond that 429 as a throttle; armed until cleared. */
  rateLimit(options: RateLimitFault): void {
    this.arm({ kind: "rateLimit", ...options });
  }

  /** That status, with a JSON `detail`; with `applied`, after the request was handled. */
  serverError(options: ServerErrorFault): void {
    this.arm({ kind: "serverError", ...options });
  }

  /**
   * Destroys the socket without answering, before the request has any effect; with `appliedAfterMs`, the
   * request is read first and applied that long after the reset.
   */
  reset(options: FaultOptions<"reset">): void {
    this.arm({ kind: "reset", ...options });
  }

  /** Applies the request (a POST creates its connection), then destroys the socket without answering. */
  dropResponse(options: SocketFault): void {
    this.arm({ kind: "dropResponse", ...options });
  }

  /** Reads the request and never answers (until the emulator stops); with `applied`, after handling it. */
  hang(options: FaultOptions<"hang">): void {
    this.arm({ kind: "hang", ...options });
  }

  /** Applies the request, sends the headers, then the body one byte at a time (or whitespace without end). */
  slowBody(options: FaultOptions<"slowBody">): void {
    this.arm({ kind: "slowBody", ...options });
  }

  /** Applies the request and answers with its JSON padded to `bytes`. */
  oversizedBody(options: FaultOptions<"oversizedBody">): void {
    this.arm({ kind: "oversizedBody", ...options });
  }

  /** Applies the request; a 2xx answer describes another connection instead (well-formed, not the one asked for). */
  foreignAnswer(options: FaultOptions<"foreignAnswer">): void {
    this.arm({ kind: "foreignAnswer", ...options });
  }

  /** Applies the request; a 2xx answer is `{"id": <id>, "email": ...}`, not a connection but with someone else's id. */
  foreignId(options: FaultOptions<"foreignId">): void {
    this.arm({ kind: "foreignId", ...options });
  }

  /** Answers with the request echoed (its body and its token), raw or transformed; nothing is applied. */
  echo(options: FaultOptions<"echo">): void {
    this.arm({ kind: "echo", ...options });
  }

  /** Answers with a redirect to `location`; nothing is applied. */
  redirect(options: FaultOptions<"redirect">): void {
    this.arm({ kind: "redirect", ...options });
  }

  clear(): void {
    this.armed = [];
  }

  /** Arms a fault given as data (the control surface); throws InvalidFaultError naming the bad fields. */
  arm(spec: unknown): ArmedFault {
    const parsed = faultSpecSchema.safeParse(spec);
    if (!parsed.success) throw new InvalidFaultError(parsed.error);
    this.armed.push({ ...parsed.data, seen: 0, passed: [] });
    return parsed.data;
  }

  /** Faults still armed, with their remaining counts. */
  list(): ArmedFault[] {
    return this.armed.map(({ seen: _seen, passed: _passed, ...f }) => ({ ...f }));
  }

  /**
   * Takes the faults for one request: at most one latency and one action, each counted down; a request
   * over a rate limit gets its throttle as the action.
   */
  take(method: string, path: string): FaultsForRequest {
    const latency = this.consume((f) => f.kind === "latency", method, path);
    const action = this.overRateLimit(method, path) ?? this.consume((f) => f.kind !== "latency", method, path);
    return {
      delayMs: latency?.kind === "latency" ? latency.ms : 0,
      action: action && action.kind !== "latency" && action.kind !== "rateLimit" ? action : undefined,
    };
  }

  /** The throttle of the first rate limit this request is over, if any; each limit it is within counts it. */
  private overRateLimit(method: string, path: string): ActionFault | undefined {
    const now = this.now();
    for (const fault of this.armed) {
      if (fault.kind !== "rateLimit" || !matches(fault, method, path)) continue;
      // As DRF: the requests of the last window are kept, a refused one is not counted.
      while (fault.passed.length > 0 && fault.passed[0]! <= now - fault.windowMs) fault.passed.shift();
      if (fault.passed.length < fault.requests) {
        fault.passed.push(now);
        continue;
      }
      this.applied += 1;
      const retryAfter = Math.max(1, Math.ceil((fault.passed[0]! + fault.windowMs - now) / 1000));
      return { kind: "throttle", count: 1, every: 1, retryAfter, method: fault.method, path: fault.path };
    }
    return undefined;
  }

  private consume(kind: (f: ArmedFault) => boolean, method: string, path: string): ArmedFault | undefined {
    for (const [index, fault] of this.armed.entries()) {
      // A rate limit is never counted down: it answers only through overRateLimit.
      if (!kind(fault) || fault.kind === "rateLimit" || !matches(fault, method, path)) continue;
      fault.seen += 1;
      if (fault.seen % fault.every !== 0) continue;
      fault.count -= 1;
      if (fault.count <= 0) this.armed.splice(index, 1);
      this.applied += 1;
      const { seen: _seen, passed: _passed, ...armed } = fault;
      return armed;
    }
    return undefined;
  }
}

function matches(fault: { method?: string | undefined; path?: string | undefined }, method: string, path: string): boolean {
  return (fault.method === undefined || fault.method === method) && (fault.path === undefined || path.startsWith(fault.path));
}

export class InvalidFaultError extends Error {
  constructor(readonly zodError: z.ZodError) {
    super(`invalid fault: ${describeIssues(zodError).join("; ")}`);
    this.name = "InvalidFaultError";
  }
}

/** DRF's throttling message: "Request was throttled. Expected available in N seconds." */
export function throttledMessage(retryAfter: number | string, now = Date.now()): string {
  const seconds = typeof retryAfter === "number" ? retryAfter : Math.max(0, Math.ceil((Date.parse(retryAfter) - now) / 1000));
  return `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`;
}

/** The `detail` each injected server error carries (DRF's wording where DRF has one). */
export const SERVER_ERROR_DETAILS: Readonly<Record<500 | 502 | 503 | 504, string>> = {
  500: "A server error occurred.",
  502: "Bad gateway.",
  503: "Service temporarily unavailable, try again later.",
  504: "Gateway timeout.",
};
