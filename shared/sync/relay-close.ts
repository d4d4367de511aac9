/**
 * What a relay's WebSocket close means for the client (docs/relay.md, "Close
 * codes"): a typed error, and whether to stop, wait a given time, or retry with backoff. Pure, so
 * every code is tested without a socket.
 */
import type { TransportError } from './transport';

/** When the relay asks for a wait but names none (4429/4503). */
export const DEFAULT_BUSY_RETRY_S = 30;
/** When a full room or quota names no wait (4413): the contract's default. */
export const DEFAULT_FULL_RETRY_S = 300;
/**
 * When a relay does not serve a room (4403: a LAN relay serves only its host's groups) and names
 * no wait. The host may join the group soon, so this is not final, but asking every second is noise.
 */
export const DEFAULT_NOT_SERVED_RETRY_S = 60;
/** Upper bound on a wait the relay may ask for: a typo or a hostile relay must not park a group for days. */
export const MAX_RETRY_S = 3600;

export type CloseVerdict =
  /** Never reconnect by itself (only a new connect() tries again). */
  | { readonly action: 'stop'; readonly error: TransportError }
  /** Stay away until `retryAt`, then connect again. */
  | { readonly action: 'wait'; readonly error: TransportError & { readonly retryAt: number } }
  /** Let the provider reconnect with its own backoff. */
  | { readonly action: 'backoff'; readonly error?: TransportError };

/** `retry-after=<seconds>` from a close reason (whole seconds), or undefined. */
export function retryAfterSeconds(reason: string): number | undefined {
  const match = /retry-after=(\d+)/.exec(reason);
  if (!match) return undefined;
  const seconds = Number(match[1]);
  return Number.isSafeInteger(seconds) ? Math.min(seconds, MAX_RETRY_S) : undefined;
}

/** The close codes this module decides on itself; y-websocket's backoff handles the rest. */
export function isManagedClose(code: number): boolean {
  return code === 4401 || code === 4403 || code === 4413 || code === 4429 || code === 4503;
}

function atTime(now: number, seconds: number): { retryAt: number; clock: string } {
  const retryAt = now + seconds * 1000;
  return { retryAt, clock: seconds === 1 ? '1 second' : `${seconds} seconds` };
}

/** Reads one close of the relay's connection at time `now` (ms). */
export function readClose(code: number, reason: string, now: number): CloseVerdict {
  const asked = retryAfterSeconds(reason);
  switch (code) {
    case 4401:
      return {
        action: 'stop',
        error: {
          code: 'invite_key_mismatch',
          message: "This invite's key does not match the group: the relay refused it.",
          closeCode: code,
        },
      };
    case 4403: {
      const { retryAt, clock } = atTime(now, asked ?? DEFAULT_NOT_SERVED_RETRY_S);
      return {
        action: 'wait',
        error: {
          code: 'refused',
          message: `This relay does not serve this group; trying again in ${clock}.`,
          retryAt,
          closeCode: code,
        },
      };
    }
    case 4429:
    case 4503: {
      const { retryAt, clock } = atTime(now, asked ?? DEFAULT_BUSY_RETRY_S);
      return {
        action: 'wait',
        error: {
          code: 'relay_busy',
          message: `The relay is busy; trying again in ${clock}.`,
          retryAt,
          closeCode: code,
        },
      };
    }
    case 4413: {
      const { retryAt, clock } = atTime(now, asked ?? DEFAULT_FULL_RETRY_S);
      const quota = reason.startsWith('author quota');
      return {
        action: 'wait',
        error: quota
          ? {
              code: 'author_quota',
              message: `You have used up your share of this group's space on the relay; trying again in ${clock}.`,
              retryAt,
              closeCode: code,
            }
          : {
              code: 'room_full',
              message: `This group has reached the relay's size limit; trying again in ${clock}.`,
              retryAt,
              closeCode: code,
            },
      };
    }
    default:
      // 1000/1001 are ordinary ends (relay restart); 4400, 1008, 1013, 4500 and unknown codes
      // are "try again later" for this client: backoff, and say so only when the relay said why.
      // 4500 is informational (the room is healing from damaged data, partly from our upload).
      if (code === 1000 || code === 1001 || code === 1005 || code === 1006 || code === 4500) {
        return { action: 'backoff' };
      }
      return {
        action: 'backoff',
        error: {
          code: 'refused',
          message: `The relay closed the connection (${code}${reason ? `: ${reason}` : ''}).`,
          closeCode: code,
        },
      };
  }
}
