import { SdeClient, SdeApiError, SdeConfigError, isSdeApiError } from "../../src/client";
import { withEnvironment } from "../../src/client/config";
import { baseUrlOf, parseClientOptions } from "../../src/client/options";

// Bad client settings fail before any request, naming the setting and the fix, never showing the token.
const TOKEN = "tok-ABCDEF-0123456789";

const configError = (options: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): SdeApiError => {
  try {
    new SdeClient(options, env);
  } catch (error) {
    return error as SdeApiError;
  }
  throw new Error("expected a config error");
};

test.each([
  ["no URL", { token: TOKEN }, /url \(sdelements:url, SDE_URL\): is required: set sdelements:url \(or SDE_URL\)/],
  ["a URL that is not a URL", { url: "sde.example.com", token: TOKEN }, /url \(sdelements:url, SDE_URL\): must be an http\(s\) URL/],
  ["an ftp URL", { url: "ftp://sde.example.com", token: TOKEN }, /url \(sdelements:url, SDE_URL\): .*not a ftp: URL/],
  [
    "credentials in the URL",
    { url: "https://admin:hunter22@sde.example.com", token: TOKEN },
    /url \(sdelements:url, SDE_URL\): must not contain a user name or password/,
  ],
  ["a query in the URL", { url: "https://sde.example.com/?x=1", token: TOKEN }, /url \(sdelements:url, SDE_URL\): must not have a query/],
  ["no token", { url: "https://sde.example.com" }, /token \(sdelements:apiToken, SDE_API_TOKEN\): is required: set sdelements:apiToken/],
  [
    "an empty token",
    { url: "https://sde.example.com", token: "" },
    /token \(sdelements:apiToken, SDE_API_TOKEN\): must not be empty or whitespace/,
  ],
  [
    "a whitespace token",
    { url: "https://sde.example.com", token: "   " },
    /token \(sdelements:apiToken, SDE_API_TOKEN\): must not be empty or whitespace/,
  ],
  [
    "a token with a space",
    { url: "https://sde.example.com", token: "abc def" },
    /token \(sdelements:apiToken, SDE_API_TOKEN\): must be a single word/,
  ],
  [
    "a token with a pasted zero-width space",
    { url: "https://sde.example.com", token: "abc\u200bdef" },
    /token \(sdelements:apiToken, SDE_API_TOKEN\): must be plain ASCII/,
  ],
  [
    "a password with a / in the URL",
    { url: "https://admin:hunter22/x y@sde.example.com", token: TOKEN },
    /url \(sdelements:url, SDE_URL\): must be an http\(s\) URL such as https:\/\/sde\.example\.com \(what was given is not shown/,
  ],
  ["a token given as the URL", { url: "9f8e7d6c5b4a39281706f5e4d3c2b1a0", token: TOKEN }, /must be an http\(s\) URL .*not shown/],
  // Named as the option: a value from the stack config is judged under its own key before it gets here.
  [
    "a zero timeout",
    { url: "https://sde.example.com", token: TOKEN, timeoutMs: 0 },
    /^invalid client settings: timeoutMs: must be a whole number of milliseconds from 1 to 600000$/,
  ],
  [
    "zero attempts",
    { url: "https://sde.example.com", token: TOKEN, maxAttempts: 0 },
    /^invalid client settings: maxAttempts: must be a whole number from 1 to 20$/,
  ],
  [
    "a timeout too large to be exact, said once",
    { url: "https://sde.example.com", token: TOKEN, timeoutMs: 1e30 },
    /^invalid client settings: timeoutMs: must be a whole number of milliseconds from 1 to 600000$/,
  ],
  [
    "a timeout in seconds as a string",
    { url: "https://sde.example.com", token: TOKEN, timeoutMs: "30" },
    /^invalid client settings: timeoutMs: must be a whole number of milliseconds from 1 to 600000$/,
  ],
  [
    "a flag as a word",
    { url: "https://sde.example.com", token: TOKEN, insecureSkipVerify: "yes" },
    /^invalid client settings: insecureSkipVerify: must be true or false$/,
  ],
  [
    "no room for any request",
    { url: "https://sde.example.com", token: TOKEN, maxConcurrentRequests: 0 },
    /^invalid client settings: maxConcurrentRequests: must be a whole number from 1 to 256$/,
  ],
  [
    "more requests at once than allowed",
    { url: "https://sde.example.com", token: TOKEN, maxConcurrentRequests: 257 },
    /^invalid client settings: maxConcurrentRequests: must be a whole number from 1 to 256$/,
  ],
  [
    "adaptive throttling as a word",
    { url: "https://sde.example.com", token: TOKEN, adaptiveThrottling: "off" },
    /^invalid client settings: adaptiveThrottling: must be true or false$/,
  ],
  [
    "an empty CA file path",
    { url: "https://sde.example.com", token: TOKEN, caFile: "" },
    /^invalid client settings: caFile: must be the path of a PEM file/,
  ],
  [
    "a missing CA file",
    { url: "https://sde.example.com", token: TOKEN, caFile: "/nonexistent/ca.pem" },
    /cannot read the CA file \/nonexistent\/ca\.pem \(sdelements:caFile\)/,
  ],
])("%s is a config error naming the setting", (_what, options, expected) => {
  const error = configError(options);
  expect(error).toBeInstanceOf(SdeConfigError);
  expect(isSdeApiError(error)).toBe(true);
  // Its own class, and still the name and the one-line stack of every client error.
  expect(error.stack).toBe(`SdeApiError: ${error.message}`);
  expect(error.kind).toBe("config");
  expect(error.message).toMatch(expected);
  expect(error.message).not.toContain(TOKEN);
  expect(error.message).not.toContain("hunter22");
  expect(error.message).not.toContain("9f8e7d6c5b4a39281706f5e4d3c2b1a0");
});

test("SD Elements' connection string (<token>@<host>) pasted as the URL: told where each part goes, the token never shown", () => {
  const error = configError({ url: `${TOKEN}@sde.example.com`, token: TOKEN });
  expect(error.message).toMatch(
    /looks like an SD Elements connection string .*put the part before @ in sdelements:apiToken .*https:\/\/sde\.example\.com in sdelements:url/,
  );
  expect(error.message).not.toContain(TOKEN);
  // Also when the token set is a different one: what precedes the @ is never echoed.
  expect(configError({ url: "0123456789abcdef0123@sde.example.com", token: TOKEN }).message).not.toContain("0123456789abcdef0123");
});

test("URL and token fall back to SDE_URL and SDE_API_TOKEN", () => {
  const options = parseClientOptions(withEnvironment({}, { SDE_URL: "https://sde.example.com", SDE_API_TOKEN: TOKEN }));
  expect(options).toMatchObject({ url: "https://sde.example.com", token: TOKEN, timeoutMs: 30000, maxAttempts: 5 });
  // One budget of 8 requests at once, shared throttling: the defaults (options.ts says why).
  expect(options).toMatchObject({ maxConcurrentRequests: 8, adaptiveThrottling: true });
});

test("explicit settings win over the environment", () => {
  const options = parseClientOptions(
    withEnvironment({ url: "https://a.example.com" }, { SDE_URL: "https://b.example.com", SDE_API_TOKEN: TOKEN }),
  );
  expect(options.url).toBe("https://a.example.com");
});

test("a pasted /api/v2 suffix and trailing slashes are tolerated", () => {
  expect(baseUrlOf("https://sde.example.com/api/v2/")).toBe("https://sde.example.com");
  expect(baseUrlOf("https://sde.example.com/sde/")).toBe("https://sde.example.com/sde");
});

test.each([
  [
    "a proxy without a scheme",
    { httpsProxy: "proxy.corp:3128" },
    /invalid proxy setting httpsProxy: "proxy\.corp:3128" is not an http\(s\) proxy URL: write it as http:\/\/host:port/,
  ],
  [
    "a proxy with a bad port and a password",
    { httpProxy: "http://bot:s3cret-pw@proxy.corp:99999" },
    /invalid proxy setting httpProxy: "…@proxy\.corp:99999"/,
  ],
])("%s is a config error naming the setting, never its password", (_what, proxy, expected) => {
  const error = configError({ url: "https://sde.example.com", token: TOKEN, ...proxy });
  expect(error).toBeInstanceOf(SdeConfigError);
  expect(error.kind).toBe("config");
  expect(error.message).toMatch(expected);
  expect(error.message).not.toContain("s3cret-pw");
});

test("only the proxy settings in force are judged, with undici's precedence; SOCKS is refused by name", async () => {
  const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, https_proxy: process.env.https_proxy };
  process.env.HTTPS_PROXY = "junk";
  try {
    // An explicit setting wins over the environment, so a junk variable it overrides does no harm.
    await new SdeClient({ url: "https://sde.example.com", token: TOKEN, httpsProxy: "http://proxy.corp:3128" }, {}).close();
    // So does an empty lower-case variable, which means "no proxy" to undici.
    process.env.https_proxy = "";
    await new SdeClient({ url: "https://sde.example.com", token: TOKEN }, {}).close();
    delete process.env.https_proxy;
    expect(configError({ url: "https://sde.example.com", token: TOKEN }).message).toMatch(/invalid proxy setting HTTPS_PROXY: "junk"/);
    expect(configError({ url: "https://sde.example.com", token: TOKEN, httpsProxy: "socks5://proxy.corp:1080" }).message).toMatch(
      /is not an http\(s\) proxy URL/,
    );
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});
