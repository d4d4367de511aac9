/**
 * The linking ceremony (docs/protocol.md §16), both sides:
 *   1. the first device shows a link (link-code.ts) and waits in the link room (offerLink);
 *   2. the new device posts `link.request` {device, name}, signed by its new device key
 *      (acceptLink);
 *   3. the first device asks its user ("Link 'Laptop 2'?"); on yes it posts `link.grant`
 *      {certificate, displayName, groups}, signed by the person's key;
 *   4. the new device checks the grant (the person's signature over the entry and the
 *      certificate, for its own key), deletes the room's messages and leaves.
 * The identity secret never moves: the new device gets a certificate for its own key.
 * One request is answered per link: a second request, a used or expired link end in a typed
 * error and nothing is granted or stored.
 */
import {
  type DeviceCertificate,
  signDeviceCertificate,
  verifyDeviceCertificate,
} from '../crypto/device-cert';
import { type Identity, memberIdOf } from '../crypto/identity';
import { WalletError } from '../errors';
import type { EventOf } from '../ledger/events';
import type { VerifiedEntry } from '../ledger/types';
import type { MemberId } from '../money/types';
import type { TransportFactory } from '../sync/transport';
import { type DeviceLink, linkRoom } from './link-code';
import { LinkChannel } from './link-room';

export type LinkedGroup = EventOf<'link.grant'>['groups'][number];
export type LinkGrant = Omit<EventOf<'link.grant'>, 'type'>;

export interface LinkRequest {
  readonly device: MemberId;
  readonly name: string;
}

interface CeremonyDeps {
  readonly link: DeviceLink;
  readonly transport: TransportFactory;
  readonly now: () => number;
  /** Time to let a last message reach the relay before leaving. Default 500 ms. */
  readonly graceMs?: number;
  /** Cancels the ceremony (the person pressed Cancel): it fails with `link_cancelled`, nothing is kept. */
  readonly signal?: AbortSignal;
}

export interface OfferOptions extends CeremonyDeps {
  readonly person: Identity;
  readonly displayName: string;
  /** The groups handed over, read when the request is confirmed (so they are current). */
  readonly groups: () => readonly LinkedGroup[] | Promise<readonly LinkedGroup[]>;
  /** Asks the user whether to link this device; nothing is granted unless it resolves true. */
  readonly confirm: (request: LinkRequest) => Promise<boolean>;
}

export interface OfferOutcome {
  readonly request: LinkRequest;
  readonly certificate: DeviceCertificate;
}

const declined = () => new WalletError('link_declined', 'Linking this device was declined.');
const cancelled = () => new WalletError('link_cancelled', 'Linking was cancelled on this device.');
const expired = () =>
  new WalletError('link_expired', 'The link expired before the other device answered: make a new one.');

/** Runs `body` until it settles or the link expires; the channel is closed either way. */
function withinLink<T>(
  deps: CeremonyDeps,
  body: (channel: LinkChannel, done: (value: T) => void, fail: (e: unknown) => void) => void,
): Promise<T> {
  if (deps.now() > deps.link.expires) return Promise.reject(expired());
  if (deps.signal?.aborted) return Promise.reject(cancelled());
  const channel = new LinkChannel(linkRoom(deps.link.secret), deps.transport, deps.now);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void, grace: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      deps.signal?.removeEventListener('abort', onAbort);
      channel.close(grace);
      f();
    };
    const timer = setTimeout(() => finish(() => reject(expired()), 0), deps.link.expires - deps.now());
    const onAbort = () => finish(() => reject(cancelled()), 0);
    deps.signal?.addEventListener('abort', onAbort);
    body(
      channel,
      (value) => finish(() => resolve(value), deps.graceMs ?? 500),
      (e) => finish(() => reject(e), 0),
    );
  });
}

/** The first device's side: waits for one request, confirms it, grants it. */
export function offerLink(options: OfferOptions): Promise<OfferOutcome> {
  return withinLink<OfferOutcome>(options, (channel, done, fail) => {
    let answered = false;
    channel.listen((entry) => {
      const ev = entry.event;
      // A request must be signed by the device key it asks for: proof the device holds it.
      if (ev.type !== 'link.request' || ev.device !== entry.header.author || answered) return;
      answered = true; // one request per link, whatever the answer
      const request: LinkRequest = { device: ev.device, name: ev.name };
      void (async () => {
        if (!(await options.confirm(request))) {
          // Tell the asking device, so it stops waiting (nothing else is sent).
          await channel.post(options.person, { type: 'link.declined', device: request.device });
          throw declined();
        }
        if (options.now() > options.link.expires) throw expired();
        const certificate = signDeviceCertificate(
          options.person,
          request.device,
          options.now(),
          request.name,
        );
        await channel.post(options.person, {
          type: 'link.grant',
          certificate,
          displayName: options.displayName,
          groups: [...(await options.groups())],
        });
        done({ request, certificate });
      })().catch(fail);
    });
  });
}

export interface AcceptOptions extends CeremonyDeps {
  /** The new device's own key (generated for this link; never the person's). */
  readonly device: Identity;
  readonly name: string;
}

/** The new device's side: asks, then waits for a grant for its own key. */
export function acceptLink(options: AcceptOptions): Promise<LinkGrant> {
  const me = memberIdOf(options.device.publicKey);
  return withinLink<LinkGrant>(options, (channel, done, fail) => {
    channel.listen((entry) => {
      if (entry.event.type === 'link.declined' && entry.event.device === me) {
        fail(declined());
        return;
      }
      const grant = validGrant(entry);
      if (!grant) return;
      if (grant.certificate.device !== me) {
        fail(new WalletError('link_used', 'This link was already used to link another device.'));
        return;
      }
      channel.forget(); // the grant holds group keys: leave nothing behind at the relay
      done(grant);
    });
    channel.post(options.device, { type: 'link.request', device: me, name: options.name }).catch(fail);
  });
}

/** A grant signed by the person its certificate names, with a valid certificate; else undefined. */
function validGrant(entry: VerifiedEntry): LinkGrant | undefined {
  const ev = entry.event;
  if (ev.type !== 'link.grant') return undefined;
  if (entry.header.author !== ev.certificate.person || !verifyDeviceCertificate(ev.certificate))
    return undefined;
  const { type: _type, ...grant } = ev;
  return grant;
}
