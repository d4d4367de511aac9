/**
 * The relay's plain HTTP side: /healthz and /metrics for operators, and the HTTP refusal of an
 * upgrade that no real app would send (a malformed path or token). Everything else is WebSocket.
 */
import { type IncomingMessage, STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RelayMetrics, renderPrometheus } from './metrics';

/** Answers GET/HEAD /healthz (JSON) and /metrics (Prometheus text); 404/405 otherwise. */
export function answerHttp(req: IncomingMessage, res: ServerResponse, metrics: () => RelayMetrics): void {
  const path = (req.url ?? '').split('?')[0];
  const send = (status: number, type: string, body: string): void => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(405, 'application/json', JSON.stringify({ error: 'method_not_allowed' }));
  } else if (path === '/healthz') {
    const m = metrics();
    const body = {
      status: 'ok',
      rooms: m.rooms,
      connections: m.connections,
      uptimeSeconds: m.uptimeSeconds,
      // Rooms whose stored data was damaged and is being re-uploaded by their devices.
      healing: m.roomsHealing,
    };
    send(200, 'application/json', JSON.stringify(body));
  } else if (path === '/metrics') {
    send(200, 'text/plain; version=0.0.4; charset=utf-8', renderPrometheus(metrics()));
  } else {
    send(404, 'application/json', JSON.stringify({ error: 'not_found' }));
  }
}

/** Answers an upgrade request with a plain HTTP error and drops the socket (no WebSocket). */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  setTimeout(() => socket.destroy(), 1000).unref();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}
