/**
 * Which of its relay tokens a transport presents, and when it asks for a hand-over
 * (relay-tokens.ts). Kept apart from the socket so every step is tested without one:
 * - connect with the newest token;
 * - refused (4401, or 4403 from a LAN relay): try the newest token not refused yet at once; when
 *   none is left, the refusal stands and the next attempt starts again from the newest;
 * - admitted with an older token than the newest: hand the newest over (once per connection);
 *   once the relay says ok, every later connection presents the newest.
 */
import type { EpochToken, RelayTokens } from './relay-tokens';

export class RelayTokenUse {
  readonly #tokens: RelayTokens | undefined;
  readonly #only: string;
  #using: string;
  /** The token whose hand-over was sent on this connection and not answered yet. */
  #asked: string | undefined;
  /** Tokens the relay refused since the last admission (so a round of refusals ends). */
  readonly #tried = new Set<string>();

  /** `only`: the single token to present when the context has no token list (tests, tools). */
  constructor(tokens: RelayTokens | undefined, only: string) {
    this.#tokens = tokens;
    this.#only = only;
    this.#using = this.#list()[0]!.token;
  }

  #list(): readonly EpochToken[] {
    return this.#tokens?.list() ?? [{ epoch: 0, token: this.#only }];
  }

  /** The token the next connection presents. */
  get current(): string {
    return this.#using;
  }

  /**
   * The relay refused `token` (the one the closed socket presented; after a hand-over that may be
   * an older one than `current`, which is then simply used next). Otherwise moves to the newest
   * token not refused since the last admission and returns true; with none left, goes back to
   * the newest (for a later attempt) and returns false.
   */
  refused(token: string = this.#using): boolean {
    const list = this.#list();
    this.#asked = undefined;
    this.#tried.add(token);
    if (!this.#tried.has(this.#using)) return true;
    const next = list.find((t) => !this.#tried.has(t.token));
    if (next !== undefined) {
      this.#using = next.token;
      return true;
    }
    this.#tried.clear();
    this.#using = list[0]!.token;
    return false;
  }

  /**
   * A socket opened: nothing has been asked on it yet. Not yet an admission: a relay that refuses
   * a token opens the socket and closes it at once.
   */
  opened(): void {
    this.#asked = undefined;
  }

  /** The relay answered on this connection (a full exchange): the token works; refusals start over. */
  admitted(): void {
    this.#tried.clear();
  }

  /**
   * The hand-over to ask for on the open connection, if any: the newest token when it has an
   * epoch, is not the one in use, and was not asked for on this connection already.
   */
  handOverDue(): (EpochToken & { readonly epoch: number }) | null {
    const newest = this.#list()[0]!;
    if (newest.token === this.#using || newest.epoch === null || newest.epoch < 1) return null;
    if (this.#asked === newest.token) return null;
    this.#asked = newest.token;
    return { epoch: newest.epoch, token: newest.token };
  }

  /** The relay accepted the hand-over for `epoch`: later connections present that token. */
  handedOver(epoch: number): void {
    const token = this.#list().find((t) => t.epoch === epoch)?.token;
    if (token !== undefined && token === this.#asked) this.#using = token;
    this.#asked = undefined;
  }
}
