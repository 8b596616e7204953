import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * Starts `server` on 127.0.0.1 (a free port) and gives its URL and a stop that ends every open socket
 * (`sockets`, plus each one the server accepts) before closing, so no test leaves a connection behind.
 */
export async function listenOnLoopback(server: Server, sockets = new Set<Socket>()): Promise<{ url: string; stop: () => Promise<void> }> {
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
