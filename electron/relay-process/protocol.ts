/**
 * Messages between the main process and the relay's utility process (relay-supervisor.ts and
 * run.ts). Both sides validate what they receive: a child is a separate program, and a message
 * that does not parse is dropped, never trusted.
 */
import { z } from 'zod';

const roomEntry = z.tuple([z.string().regex(/^[0-9a-f]{32}$/), z.string().regex(/^[0-9a-f]{64}$/)]);
/** Group id → SHA-256 of its relay token (hex), the LAN relay's allowRooms. */
export const roomList = z.array(roomEntry).max(1000);
export type RoomList = z.infer<typeof roomList>;

export const parentMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('start'),
    host: z.string().min(1).max(64),
    port: z.number().int().min(0).max(65_535),
    /** LevelDB folder, or null for memory only. */
    dataDir: z.string().min(1).max(4096).nullable(),
    /** When the port is taken, take any free one instead of failing (the loopback relay). */
    fallbackToFreePort: z.boolean(),
    /** Serve only these rooms (the LAN relay); null serves every room. */
    allowRooms: roomList.nullable(),
  }),
  z.strictObject({ type: z.literal('rooms'), rooms: roomList }),
  z.strictObject({ type: z.literal('stop') }),
]);
export type ParentMessage = z.infer<typeof parentMessage>;
export type StartRequest = Extract<ParentMessage, { type: 'start' }>;

export const childMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('ready'),
    url: z.string().regex(/^ws:\/\/[^\s/]+$/),
    port: z.number().int().min(1).max(65_535),
  }),
  z.strictObject({
    type: z.literal('failed'),
    code: z.string().max(64).nullable(),
    message: z.string().max(500),
  }),
  z.strictObject({ type: z.literal('stopped') }),
]);
export type ChildMessage = z.infer<typeof childMessage>;
