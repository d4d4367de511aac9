/**
 * Presence of one group: who of the other members is online (and typing) over every transport,
 * and this device's own presence, published on each. Awareness is unsigned, so states naming
 * anyone who is not a member of the group are hidden.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { MemberId } from '../money/types';
import { mergePresence, type PresenceState, readPresence, setLocalPresence } from './presence';
import { USUAL_TRANSPORT } from './sync-snapshot';
import type { TransportSet } from './transport-set';

export interface GroupPresenceOptions {
  /** The usual relay's awareness. */
  readonly awareness: Awareness;
  /** The extra transports (each has its own awareness). */
  readonly extra: TransportSet;
  readonly memberId: MemberId;
  /** Name shown; defaults to the member's name in the group. */
  readonly memberName?: string;
  /** The group's members now (from the folded state). */
  readonly members: () => readonly { readonly id: MemberId; readonly name: string }[];
}

export class GroupPresence {
  readonly #o: GroupPresenceOptions;
  readonly #listeners = new Set<() => void>();
  #typing = false;
  #closed = false;

  constructor(options: GroupPresenceOptions) {
    this.#o = options;
    options.awareness.on('change', () => this.emit());
  }

  setTyping(typing: boolean): void {
    if (this.#closed || typing === this.#typing) return;
    this.#typing = typing;
    this.announce();
  }

  /** Other members' devices currently online, over every transport. */
  list(): PresenceState[] {
    const isOther = this.#isOtherMember();
    return mergePresence([
      readPresence(this.#o.awareness, isOther),
      ...this.#o.extra.list().map((t) => readPresence(t.awareness, isOther)),
    ]);
  }

  /** Who is on the other end of one transport (`USUAL_TRANSPORT` or an extra id); empty for an unknown id. */
  via(id: string): PresenceState[] {
    const awareness = id === USUAL_TRANSPORT ? this.#o.awareness : this.#o.extra.get(id)?.awareness;
    return awareness ? readPresence(awareness, this.#isOtherMember()) : [];
  }

  onChange(listener: (presence: PresenceState[]) => void): () => void {
    const handler = () => listener(this.list());
    this.#listeners.add(handler);
    return () => this.#listeners.delete(handler);
  }

  /** Something about presence changed (a transport's awareness, a transport came or went). */
  emit(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Publishes this device's presence (on every transport) when its name or typing flag changed. */
  announce(force = false): void {
    if (this.#closed) return;
    const { awareness, memberId } = this.#o;
    const name = this.#o.memberName ?? this.#o.members().find((m) => m.id === memberId)?.name ?? 'Someone';
    const current = awareness.getLocalState() as Partial<PresenceState> | null;
    const same = current?.name === name && current.typing === this.#typing && current.member === memberId;
    if (same && !force) return;
    const presence: PresenceState = { member: memberId, name, typing: this.#typing, online: true };
    if (!same) setLocalPresence(awareness, presence);
    this.#o.extra.setLocalState({ ...presence });
  }

  close(): void {
    this.#closed = true;
    this.#listeners.clear();
  }

  #isOtherMember(): (id: MemberId) => boolean {
    const members = new Set(this.#o.members().map((m) => m.id));
    return (id) => members.has(id) && id !== this.#o.memberId;
  }
}
