import { createServer, type AddressInfo, type Socket } from "node:net";
import { SdeClient } from "../../src/client";
import { DEFAULT_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import { startForwardProxy } from "../support/forward-proxy";
import { startTlsTerminator, TEST_CA_FILE } from "../support/tls-terminator";

// HTTPS with an extra CA or with validation switched off, proxies, and keep-alive reuse.
let emulator: Emulator;
let tls: Awaited<ReturnType<typeof startTlsTerminator>>;
beforeAll(async () => {
  emulator = await startEmulator();
  tls = await startTlsTerminator(Number(new URL(emulator.url).port));
});
afterAll(async () => {
  await tls.stop();
  await emulator.stop();
});

const read = async (options: ConstructorParameters<typeof SdeClient>[0]) => {
  const client = new SdeClient({ token: DEFAULT_TOKEN, maxAttempts: 1, ...options }, {});
  try {
    return await client.connections.get(1);
  } finally {
    await client.close();
  }
};

test("a self-signed server is refused by default, with the settings that fix it, and not retried", async () => {
  const client = new SdeClient({ url: tls.url, token: DEFAULT_TOKEN, maxAttempts: 5, retryBaseDelayMs: 1 }, {});
  try {
    const error = await client.connections.get(1).catch((e) => e);
    expect(error).toMatchObject({ kind: "network", code: "DEPTH_ZERO_SELF_SIGNED_CERT", attempts: 1 });
    expect(error.message).toMatch(/TLS certificate is not trusted.*sdelements:caFile .*sdelements:insecureSkipVerify/);
    // Nothing was sent, so a create is a plain failure, not "may or may not have been created".
    const create = await client.connections
      .create({ alias: "x", connector: 1, project: 1, params: { issue_tracker_project: "P" } })
      .catch((e) => e);
    expect(create).toMatchObject({ kind: "network", attempts: 1 });
  } finally {
    await client.close();
  }
});

test("the extra CA file makes it trusted", async () => {
  await expect(read({ url: tls.url, caFile: TEST_CA_FILE })).resolves.toMatchObject({ id: 1 });
});

test("validation can be switched off for lab servers", async () => {
  await expect(read({ url: tls.url, insecureSkipVerify: true })).resolves.toMatchObject({ id: 1 });
});

test("sequential requests reuse kept-alive connections", async () => {
  const before = tls.connections();
  const client = new SdeClient({ url: tls.url, token: DEFAULT_TOKEN, caFile: TEST_CA_FILE }, {});
  for (let i = 0; i < 10; i++) await client.connections.get(1);
  await client.close();
  // Without keep-alive this would be 10. undici may open a second socket while the first is being
  // released after its first answer; after that both are reused.
  expect(tls.connections() - before).toBeLessThanOrEqual(2);
});

test("behind a TLS terminator, pagination links that say http:// are followed on the configured https origin", async () => {
  const client = new SdeClient({ url: tls.url, token: DEFAULT_TOKEN, caFile: TEST_CA_FILE }, {});
  try {
    for (const alias of ["Paged A", "Paged B"]) {
      await client.connections.create({ alias, connector: 1, project: 1, params: { issue_tracker_project: "PAY" } });
    }
    const all = await client.connections.list({ pageSize: 1 });
    expect(all.map((c) => c.alias)).toEqual(expect.arrayContaining(["Rally Integration", "Paged A", "Paged B"]));
    expect(emulator.requestLog.filter((e) => e.query.includes("page=")).length).toBeGreaterThanOrEqual(2);
  } finally {
    await client.close();
  }
});

describe("proxies", () => {
  let proxy: Awaited<ReturnType<typeof startForwardProxy>>;
  beforeEach(async () => {
    proxy = await startForwardProxy();
  });
  afterEach(() => proxy.stop());

  test("HTTPS goes through the HTTPS proxy (a CONNECT tunnel)", async () => {
    await expect(read({ url: tls.url, caFile: TEST_CA_FILE, httpsProxy: proxy.url })).resolves.toMatchObject({ id: 1 });
    expect(proxy.targets).toEqual([`CONNECT ${new URL(tls.url).host}`]);
  });

  test("HTTP goes through the HTTP proxy", async () => {
    await expect(read({ url: emulator.url, httpProxy: proxy.url })).resolves.toMatchObject({ id: 1 });
    expect(proxy.targets).toEqual([`GET ${new URL(emulator.url).host}`]);
  });

  test("NO_PROXY hosts are reached directly", async () => {
    await expect(read({ url: emulator.url, httpProxy: proxy.url, noProxy: "127.0.0.1" })).resolves.toMatchObject({ id: 1 });
    expect(proxy.targets).toEqual([]);
  });

  test("proxies come from the standard environment variables", async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    try {
      await expect(read({ url: emulator.url })).resolves.toMatchObject({ id: 1 });
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
    expect(proxy.targets).toHaveLength(1);
  });

  test("an https:// proxy with a certificate from the extra CA is trusted through caFile", async () => {
    const tlsProxy = await startTlsTerminator(Number(new URL(proxy.url).port));
    try {
      await expect(read({ url: tls.url, caFile: TEST_CA_FILE, httpsProxy: tlsProxy.url })).resolves.toMatchObject({ id: 1 });
      expect(proxy.targets).toEqual([`CONNECT ${new URL(tls.url).host}`]);
    } finally {
      await tlsProxy.stop();
    }
  });

  test("through a proxy the timeout still applies: a server that never answers", async () => {
    emulator.faults.hang({ count: 1 });
    await expect(read({ url: emulator.url, httpProxy: proxy.url, timeoutMs: 300 })).rejects.toMatchObject({ kind: "timeout" });
  });

  describe("a proxy that wants credentials (407) refused the request: it was not sent, a create included", () => {
    let refusing: Awaited<ReturnType<typeof startForwardProxy>>;
    beforeEach(async () => {
      refusing = await startForwardProxy({ refuseWith: 407 });
    });
    afterEach(() => refusing.stop());
    const create = (options: ConstructorParameters<typeof SdeClient>[0]) => {
      const client = new SdeClient({ token: DEFAULT_TOKEN, maxAttempts: 3, retryBaseDelayMs: 1, ...options }, {});
      return client.connections
        .create({ alias: "Behind a proxy", connector: 1, project: 1, params: { issue_tracker_project: "P" } })
        .finally(() => client.close());
    };

    test.each([
      ["an https server (CONNECT)", () => ({ url: tls.url, caFile: TEST_CA_FILE, httpsProxy: refusing.url })],
      ["an http server (a forwarded request)", () => ({ url: emulator.url, httpProxy: refusing.url })],
    ])("%s", async (_what, settings) => {
      const error = await create(settings()).catch((e) => e);
      expect(error).toMatchObject({ kind: "network", attempts: 1 });
      expect(error.message).toMatch(
        /the proxy refused to pass the request on \(HTTP 407 Proxy Authentication Required\): it was not sent to the server\. The proxy wants credentials/,
      );
      expect(refusing.targets).toHaveLength(1);
      expect(emulator.connections().filter((c) => c.alias === "Behind a proxy")).toEqual([]);
    });
  });

  test("a proxy's 503 to CONNECT sent nothing on: even a create is retried, and made once", async () => {
    const flaky = await startForwardProxy({ refuseWith: 503, refusals: 1 });
    try {
      const client = new SdeClient(
        { url: tls.url, caFile: TEST_CA_FILE, httpsProxy: flaky.url, token: DEFAULT_TOKEN, maxAttempts: 3, retryBaseDelayMs: 1 },
        {},
      );
      await client.connections
        .create({ alias: "Proxy 503", connector: 1, project: 1, params: { issue_tracker_project: "P" } })
        .finally(() => client.close());
      expect(flaky.targets).toHaveLength(2);
      expect(emulator.connections().filter((c) => c.alias === "Proxy 503")).toHaveLength(1);
    } finally {
      await flaky.stop();
    }
  });

  test("through a proxy the timeout still applies: a proxy that never answers CONNECT", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      await expect(
        read({ url: tls.url, caFile: TEST_CA_FILE, httpsProxy: `http://127.0.0.1:${port}`, timeoutMs: 300 }),
      ).rejects.toMatchObject({
        kind: expect.stringMatching(/^(timeout|network)$/),
        message: expect.stringMatching(/within 0\.3 s|timeout/i),
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
