import type { Duplex } from 'node:stream';
import type { RelayConnection } from './connection';

/** A connection's message being received: bytes read from its socket since its last whole message. */
interface Receiving {
  readonly conn: RelayConnection;
  partial: number;
  stallTimer: NodeJS.Timeout | undefined;
}

interface AddressState {
  leader: Receiving | null;
  /** Connections paused mid-message, in the order they were paused. */
  readonly waiting: Receiving[];
  readonly members: Set<Receiving>;
}

/**
 * At most one *large* message in flight per address. `ws` keeps a message's bytes until the
 * message is complete, so fifty connections each half-way through a 16 MiB message would hold
 * 400 MiB that no other limit sees (and a peer that stops mid-frame holds it for good). Past
 * `smallBytes` of one message, a connection may go on reading only while no other connection of
 * its address does; the others are paused (their bytes stay in the kernel) and resume one at a
 * time as the reader finishes. A reader that sends nothing for `stallMs` mid-message is closed. What the
 * relay holds for partial messages of one address is then one message plus `smallBytes` per
 * connection.
 */
export class InflightGate {
  private readonly byIp = new Map<string, AddressState>();
  private receivingBytes = 0;

  constructor(
    private readonly smallBytes: number,
    private readonly stallMs: number,
    private readonly onStall: (conn: RelayConnection) => void,
  ) {}

  /** Bytes of partial messages the relay holds now (all addresses). */
  get bytesReceiving(): number {
    return this.receivingBytes;
  }

  /**
   * Watches `conn`'s socket. Must be called after `ws` attached its own reader, so a chunk
   * that completes a message is counted after the message was emitted (see onData).
   */
  track(conn: RelayConnection, socket: Duplex): void {
    const member: Receiving = { conn, partial: 0, stallTimer: undefined };
    const state = this.stateOf(conn.ip);
    state.members.add(member);
    socket.on('data', (chunk: Buffer) => this.onData(member, state, chunk.byteLength));
    conn.ws.on('message', () => this.onMessage(member, state));
    conn.ws.on('close', () => this.onClose(member, state));
  }

  private stateOf(ip: string): AddressState {
    let state = this.byIp.get(ip);
    if (state === undefined) {
      state = { leader: null, waiting: [], members: new Set() };
      this.byIp.set(ip, state);
    }
    return state;
  }

  // ws reads the chunk first and emits any message it completes (onMessage resets `partial`),
  // so what is added here is at most the start of the next message.
  private onData(member: Receiving, state: AddressState, bytes: number): void {
    member.partial += bytes;
    this.receivingBytes += bytes;
    if (state.leader === member) {
      this.armStall(member); // it made progress
      return;
    }
    if (member.partial <= this.smallBytes) return;
    if (state.leader === null) {
      this.lead(member, state);
    } else if (!state.waiting.includes(member)) {
      member.conn.hold('inflight');
      state.waiting.push(member);
    }
  }

  private onMessage(member: Receiving, state: AddressState): void {
    this.receivingBytes -= member.partial;
    member.partial = 0;
    if (state.leader === member) {
      this.finishLead(state);
      return;
    }
    // Its message completed from bytes read before the pause: it is no longer mid-message.
    const at = state.waiting.indexOf(member);
    if (at >= 0) {
      state.waiting.splice(at, 1);
      member.conn.release('inflight');
    }
  }

  private onClose(member: Receiving, state: AddressState): void {
    this.receivingBytes -= member.partial;
    member.partial = 0;
    state.members.delete(member);
    const at = state.waiting.indexOf(member);
    if (at >= 0) state.waiting.splice(at, 1);
    if (state.leader === member) this.finishLead(state);
    if (state.members.size === 0) this.byIp.delete(member.conn.ip);
  }

  private lead(member: Receiving, state: AddressState): void {
    state.leader = member;
    this.armStall(member);
  }

  /** A reader mid-message that sends nothing for stallMs is closed (it would hold its address's turn). */
  private armStall(member: Receiving): void {
    clearTimeout(member.stallTimer);
    member.stallTimer = setTimeout(() => this.onStall(member.conn), this.stallMs);
    member.stallTimer.unref();
  }

  private finishLead(state: AddressState): void {
    const leader = state.leader;
    if (leader !== null) clearTimeout(leader.stallTimer);
    state.leader = null;
    const next = state.waiting.shift();
    if (next === undefined) return;
    this.lead(next, state);
    next.conn.release('inflight');
  }
}
