/**
 * One person, several devices, in the app (docs/protocol.md §16): link a new device from this
 * one (link + QR, confirm, grant), link this device from a pasted link, list and unlink devices.
 * The ceremony and the rules live in shared/link and shared/ledger; this wires them to the wallet.
 */
import { fromHex } from '../lib/hex';
import type { DeviceCertificate } from '../../../shared/crypto/device-cert';
import { WalletError } from '../../../shared/errors';
import type { DeviceState, GroupId } from '../../../shared/ledger/types';
import type { GroupRecord } from '../../../shared/sync/store';
import type { LinkRequest, OfferOutcome } from '../../../shared/link/link-ceremony';
import { loadSyncKit } from './syncKitLoader';
import type { WalletService } from './wallet';

export type { LinkRequest } from '../../../shared/link/link-ceremony';

/** The ceremony's code, loaded when a link is made or used (not needed to show anything). */
const loadLinkKit = () =>
  Promise.all([import('../../../shared/link/link-ceremony'), import('../../../shared/link/link-code')]);

export interface DeviceLinkOffer {
  /** The link as text; the QR code carries the same text. */
  readonly text: string;
  readonly expires: number;
  /** Settles when a device was linked, or with a WalletError (declined, expired). */
  readonly done: Promise<OfferOutcome>;
}

/**
 * Shows a new link and waits for one device to ask; `confirm` asks the user before anything is
 * granted. @throws WalletError `not_person_device` on a linked device (it has no identity secret).
 */
export async function offerDeviceLink(
  wallet: WalletService,
  confirm: (request: LinkRequest) => Promise<boolean>,
): Promise<DeviceLinkOffer> {
  const [[ceremony, code], person] = await Promise.all([loadLinkKit(), wallet.personIdentity()]);
  const relay = wallet.relayUrl();
  const link = code.newDeviceLink(relay, wallet.deps.now());
  const transport = await wallet.deps.transport(relay);
  const done = ceremony.offerLink({
    link,
    transport,
    now: wallet.deps.now,
    person,
    displayName: wallet.displayName,
    groups: () => wallet.groupsToShare(),
    confirm,
  });
  return { text: code.formatDeviceLink(link), expires: link.expires, done };
}

/**
 * "This is a new device: link it": runs the new device's side of the ceremony with a fresh key,
 * then stores that key with its certificate and opens the granted groups. Nothing is stored
 * unless a valid grant arrived. @throws WalletError `link_*` codes (`link_cancelled` when
 * `signal` aborts), `invalid_name`.
 */
export async function linkThisDevice(
  wallet: WalletService,
  linkText: string,
  deviceName: string,
  signal?: AbortSignal,
): Promise<void> {
  const name = deviceName.trim();
  if (name.length === 0 || name.length > 80) {
    throw new WalletError('invalid_name', 'A device name needs 1 to 80 characters.');
  }
  const [[ceremony, code], kit] = await Promise.all([loadLinkKit(), loadSyncKit()]);
  const parsed = code.parseDeviceLink(linkText, wallet.deps.now());
  if (!parsed.ok) throw parsed.error;
  const link = parsed.value;
  const device = kit.generateIdentity();
  const grant = await ceremony.acceptLink({
    link,
    transport: await wallet.deps.transport(link.relay),
    now: wallet.deps.now,
    device,
    name,
    ...(signal ? { signal } : {}),
  });
  const now = wallet.deps.now();
  const groups: GroupRecord[] = grant.groups
    .filter((g) => code.isRelayUrl(g.relay))
    .map((g) => ({
      id: g.id,
      name: g.name,
      groupKey: fromHex(g.key),
      relayUrl: g.relay,
      createdAt: now,
      lastSyncedAt: null,
      lastSeenAt: now,
      ...(g.epochs && g.epochs.length > 0 ? { epochKeys: g.epochs } : {}),
    }));
  await wallet.adoptLinkedDevice(device, grant.certificate, grant.displayName, groups);
}

/** A person's device, as the groups on this device know it. */
export interface DeviceRow {
  readonly device: string;
  readonly name: string | undefined;
  readonly created: number;
  /** Groups where it is linked and not unlinked. */
  readonly groups: readonly GroupId[];
  readonly thisDevice: boolean;
}

/** The devices of `me` over every open group, newest first; unlinked ones are left out. */
export function devicesOf(
  me: string,
  groups: readonly { readonly id: GroupId; readonly devices: readonly DeviceState[] }[],
  certificate: DeviceCertificate | undefined,
): DeviceRow[] {
  const rows = new Map<string, DeviceRow>();
  const gone = new Set<string>();
  for (const g of groups) {
    for (const d of g.devices) {
      if (d.person !== me) continue;
      if (d.unlinkedBy !== undefined) {
        gone.add(d.device);
        continue;
      }
      const row = rows.get(d.device);
      rows.set(d.device, {
        device: d.device,
        name: d.name,
        created: d.created,
        groups: [...(row?.groups ?? []), g.id],
        thisDevice: d.device === certificate?.device,
      });
    }
  }
  return [...rows.values()].filter((r) => !gone.has(r.device)).sort((a, b) => b.created - a.created);
}

/** Unlinks `device` in every group where it is linked: a signed `device.unlinked` in each. */
export async function unlinkDevice(wallet: WalletService, row: DeviceRow): Promise<void> {
  for (const id of row.groups) {
    await wallet.session(id)?.append({ type: 'device.unlinked', device: row.device });
  }
}
