/**
 * LanDiscovery over mDNS/DNS-SD with `bonjour-service`: the desktop's relay is announced as
 * `_tally-sync._tcp` under a random service id (lan-discovery.ts says why nothing else), and
 * relays of other devices are found the same way. Node only (UDP multicast).
 */
import { Bonjour, type Service } from 'bonjour-service';
import {
  isServiceId,
  LAN_SERVICE_TYPE,
  type LanDiscovery,
  type LanPeer,
  relayUrlOf,
  type Stoppable,
} from '../shared/sync/lan-discovery';
import { tagsFromTxt, tagsToTxt } from '../shared/sync/lan-tags';

export interface BonjourDiscoveryOptions {
  /**
   * multicast-dns socket options, e.g. `{ interface: '127.0.0.1' }` to stay on one interface
   * (tests). Default: every interface.
   */
  readonly mdns?: { readonly interface?: string; readonly bind?: string; readonly loopback?: boolean };
  /** Called with socket errors (multicast unavailable, interface gone); default: ignored. */
  readonly onError?: (error: Error) => void;
  /** Prefer this family when a service lists several addresses. Default IPv4 (fewer scope issues). */
  readonly family?: 'IPv4' | 'IPv6';
}

/** The address to reach a found service at: one of its A/AAAA records, else where the answer came from. */
function addressOf(service: Service, family: 'IPv4' | 'IPv6'): string | undefined {
  const addresses = service.addresses ?? [];
  const v4 = addresses.filter((a) => !a.includes(':'));
  // Link-local IPv6 needs a zone id a URL cannot carry reliably: skip those.
  const v6 = addresses.filter((a) => a.includes(':') && !a.toLowerCase().startsWith('fe80'));
  const ordered = family === 'IPv4' ? [...v4, ...v6] : [...v6, ...v4];
  return ordered[0] ?? service.referer?.address;
}

export function bonjourDiscovery(options: BonjourDiscoveryOptions = {}): LanDiscovery {
  const onError = options.onError ?? (() => {});
  // bonjour-service hands its first argument on to multicast-dns as socket options.
  const bonjour = new Bonjour((options.mdns ?? {}) as never, onError);
  const family = options.family ?? 'IPv4';
  const handles = new Set<Stoppable>();
  return {
    async announce(serviceId, port, tags = []) {
      if (!isServiceId(serviceId)) throw new Error('service id must be randomServiceId()');
      const service = bonjour.publish({
        name: serviceId,
        type: LAN_SERVICE_TYPE,
        port,
        txt: { v: '1', ...tagsToTxt(tags) },
        // Probing waits for conflicts first; a random 128-bit name has none, and waiting slows the start.
        probe: false,
      });
      service.on('error', onError);
      const handle: Stoppable = {
        stop: () =>
          new Promise<void>((resolve) => {
            if (!handles.delete(handle)) return resolve();
            service.stop?.(() => resolve());
          }),
      };
      handles.add(handle);
      return handle;
    },
    browse(onUp, onDown) {
      /** What was last reported per service (url and tags), so only changes are reported. */
      const seen = new Map<string, string>();
      const up = (service: Service) => {
        if (!isServiceId(service.name)) return;
        const address = addressOf(service, family);
        if (!address || !service.port) return;
        const peer: LanPeer = {
          serviceId: service.name,
          url: relayUrlOf(address, service.port),
          tags: tagsFromTxt(service.txt),
        };
        const said = `${peer.url} ${peer.tags?.join(',')}`;
        if (seen.get(peer.serviceId) === said) return;
        seen.set(peer.serviceId, said);
        onUp(peer);
      };
      const browser = bonjour.find({ type: LAN_SERVICE_TYPE }, up);
      browser.on('srv-update', (next) => up(next));
      browser.on('txt-update', (next) => up(next));
      browser.on('down', (service) => {
        if (seen.delete(service.name)) onDown(service.name);
      });
      const handle: Stoppable = {
        async stop() {
          if (!handles.delete(handle)) return;
          browser.stop();
        },
      };
      handles.add(handle);
      return handle;
    },
    async close() {
      for (const h of [...handles]) await h.stop();
      await new Promise<void>((resolve) => bonjour.destroy(() => resolve()));
    },
  };
}
