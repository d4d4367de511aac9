/**
 * The baseline for benchmarks: @y/websocket-server's stock `setupWSConnection` with no auth,
 * no limits and no persistence, started in-process so a benchmark can run it side by side
 * with `startRelay` and compare.
 *
 * @y/websocket-server keeps its documents in one module-wide map, so run at most one bare
 * relay per process at a time (close() frees the documents it served).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { docs, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';

export interface BareRelay {
  /** WebSocket base URL; clients append /<room> (a token parameter is accepted and ignored). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startBareRelay(options: { port?: number; host?: string } = {}): Promise<BareRelay> {
  const host = options.host ?? '127.0.0.1';
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('okay');
  });
  wss.on('connection', setupWSConnection);
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://${host}:${port}`,
    port,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [name, doc] of docs) {
        doc.destroy();
        docs.delete(name);
      }
    },
  };
}
