import { readFileSync } from "node:fs";
import { connect, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { createServer } from "node:tls";

const FIXTURES = join(__dirname, "..", "fixtures", "tls");
export const TEST_CA_FILE = join(FIXTURES, "cert.pem");

/**
 * HTTPS in front of a plain-HTTP server on loopback (the emulator speaks HTTP only): TLS with the
 * self-signed test certificate, bytes piped to `targetPort`. Counts TLS connections, so tests can see
 * keep-alive reuse.
 */
export async function startTlsTerminator(
  targetPort: number,
): Promise<{ url: string; connections: () => number; stop: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer({ key: readFileSync(join(FIXTURES, "key.pem")), cert: readFileSync(TEST_CA_FILE) }, (client) => {
    connections += 1;
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    connections: () => connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
