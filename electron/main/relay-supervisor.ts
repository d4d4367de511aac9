/**
 * Runs a relay in its own process (Electron's utilityProcess in the app) and keeps it running:
 * a crash of the relay (a native LevelDB fault, an out-of-memory) ends that process only, never
 * the window; the supervisor starts a new one after a growing pause (backoff), on the same port
 * so the relay URL the page knows stays valid. Quitting asks the relay to stop (it flushes its
 * store) and waits a few seconds at most before killing it.
 *
 * Kept free of the `electron` module: `fork` is injected (utilityProcess.fork in app.ts).
 */
import { childMessage, type RoomList, type StartRequest } from '../relay-process/protocol';

/** The part of Electron's UtilityProcess used here. */
export interface RelayChild {
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

export type ForkRelayChild = () => RelayChild;

export interface SupervisorOptions {
  readonly fork: ForkRelayChild;
  readonly request: Omit<StartRequest, 'type'>;
  /** How long a start may take before the process is killed. Default 20 s (LevelDB repair can be slow). */
  readonly startTimeoutMs?: number;
  /** How long quitting waits for the relay to flush and exit. Default 3 s. */
  readonly stopTimeoutMs?: number;
  /** First pause before a restart, doubled after each crash up to maxBackoffMs. Default 500 ms. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A relay that ran this long before crashing starts over at the first pause. Default 60 s. */
  readonly stableMs?: number;
  /** Told about crashes and restarts (the app logs them). */
  readonly log?: (message: string) => void;
}

export interface RelayAddress {
  readonly url: string;
  readonly port: number;
}

export type RelayFailureCode = 'RELAY_START_FAILED' | 'RELAY_START_TIMEOUT' | 'RELAY_EXITED';

export class RelayProcessError extends Error {
  constructor(
    readonly code: RelayFailureCode,
    message: string,
    /** The relay's own error code (EADDRINUSE, LEVEL_LOCKED, …) when it gave one. */
    readonly reason: string | null = null,
  ) {
    super(message);
    this.name = 'RelayProcessError';
  }
}

export class SupervisedRelay {
  readonly #o: Required<Omit<SupervisorOptions, 'log'>> & Pick<SupervisorOptions, 'log'>;
  #request: Omit<StartRequest, 'type'>;
  #child: RelayChild | null = null;
  #childExited: Promise<void> = Promise.resolve();
  #address: RelayAddress | null = null;
  #rooms: RoomList | null;
  #closing: Promise<void> | null = null;
  #restartTimer: ReturnType<typeof setTimeout> | null = null;
  #backoffMs: number;
  #startedAt = 0;
  #restarts = 0;

  constructor(options: SupervisorOptions) {
    this.#o = {
      startTimeoutMs: 20_000,
      stopTimeoutMs: 3_000,
      initialBackoffMs: 500,
      maxBackoffMs: 30_000,
      stableMs: 60_000,
      ...options,
    };
    this.#request = options.request;
    this.#rooms = options.request.allowRooms;
    this.#backoffMs = this.#o.initialBackoffMs;
  }

  /** Where the relay listens; null before the first start. Kept while a restart is pending. */
  get address(): RelayAddress | null {
    return this.#address;
  }

  /** How many times the relay was restarted after a crash. */
  get restarts(): number {
    return this.#restarts;
  }

  /**
   * The first start. Rejects (RelayProcessError) when the relay cannot start at all: a broken
   * store must surface, not be retried forever; the app then runs without it.
   */
  async start(): Promise<RelayAddress> {
    const address = await this.#spawn();
    // Later restarts reuse the port the relay got, so its URL stays the same.
    this.#request = { ...this.#request, port: address.port };
    return address;
  }

  /** The rooms the LAN relay serves; kept for restarts. */
  setRooms(rooms: RoomList): void {
    this.#rooms = rooms;
    this.#child?.postMessage({ type: 'rooms', rooms });
  }

  /** Stops the relay (it flushes its store), waiting stopTimeoutMs at most; safe to call again. */
  close(): Promise<void> {
    this.#closing ??= this.#stop();
    return this.#closing;
  }

  #spawn(): Promise<RelayAddress> {
    const child = this.#o.fork();
    this.#child = child;
    let exited!: () => void;
    this.#childExited = new Promise<void>((resolve) => {
      exited = resolve;
    });
    return new Promise<RelayAddress>((resolve, reject) => {
      let settled = false;
      let ready = false;
      const settle = (error: RelayProcessError | null, address?: RelayAddress) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(address!);
      };
      const timer = setTimeout(() => {
        child.kill();
        settle(new RelayProcessError('RELAY_START_TIMEOUT', 'The relay did not start in time.'));
      }, this.#o.startTimeoutMs);

      child.on('message', (raw) => {
        const parsed = childMessage.safeParse(raw);
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === 'ready') {
          this.#address = { url: message.url, port: message.port };
          this.#startedAt = Date.now();
          ready = true;
          settle(null, this.#address);
        } else if (message.type === 'failed') {
          settle(new RelayProcessError('RELAY_START_FAILED', message.message, message.code));
        }
      });
      child.on('exit', (code) => {
        exited();
        if (this.#child === child) this.#child = null;
        if (!settled) {
          settle(new RelayProcessError('RELAY_EXITED', `The relay exited while starting (code ${code}).`));
        } else if (ready && !this.#closing) {
          // A start that failed is handled by whoever awaited it; this is a crash of a running relay.
          this.#crashed(code, Date.now() - this.#startedAt);
        }
      });
      child.postMessage({ type: 'start', ...this.#request, allowRooms: this.#rooms });
    });
  }

  /** Schedules a restart; `ranMs` is how long the relay ran (null when it never got going). */
  #crashed(code: number, ranMs: number | null): void {
    if (ranMs !== null && ranMs >= this.#o.stableMs) this.#backoffMs = this.#o.initialBackoffMs;
    const delay = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.#o.maxBackoffMs);
    this.#o.log?.(`The relay stopped unexpectedly (code ${code}); restarting in ${delay} ms.`);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      if (this.#closing) return;
      this.#restarts += 1;
      this.#spawn().then(
        (address) => this.#o.log?.(`The relay runs again on ${address.url}.`),
        (e: RelayProcessError) => {
          // Still failing (the port is held, the disk is full): try again after a longer pause.
          this.#o.log?.(`The relay did not restart: ${e.message}`);
          if (!this.#closing) this.#crashed(-1, null);
        },
      );
    }, delay);
  }

  async #stop(): Promise<void> {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const child = this.#child;
    if (!child) return;
    child.postMessage({ type: 'stop' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.#o.stopTimeoutMs);
    });
    const late = await Promise.race([this.#childExited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      this.#o.log?.('The relay did not stop in time; ending it.');
      child.kill();
    }
  }
}
