import { z } from 'zod';

/** Largest text file the renderer may ask to save (a multi-year CSV statement is far smaller). */
export const MAX_SAVE_BYTES = 50 * 1024 * 1024;
/** Secrets are key material and small JSON, never bulk data. */
export const MAX_SECRET_CHARS = 64 * 1024;

// Path separators and the other characters Windows forbids in file names.
const UNSAFE_FILE_NAME_CHARS = new Set([...'\\/:*?"<>|']);
const isSafeFileName = (name: string) =>
  [...name].every((ch) => !UNSAFE_FILE_NAME_CHARS.has(ch) && ch.charCodeAt(0) >= 0x20 && ch !== '\u007f');
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine(isSafeFileName, 'must be a plain file name without path separators')
  .refine((name) => !/^\.+$/.test(name) && name.trim() === name, 'must be a real file name');

const fileFilter = z.strictObject({
  name: z.string().min(1).max(64),
  extensions: z
    .array(z.string().regex(/^(?:[A-Za-z0-9]{1,16}|\*)$/, 'extension: letters and digits, no dot'))
    .min(1)
    .max(10),
});

export const saveFileRequest = z.strictObject({
  defaultName: fileName,
  content: z
    .string()
    .max(MAX_SAVE_BYTES)
    .refine((text) => Buffer.byteLength(text, 'utf8') <= MAX_SAVE_BYTES, 'content is larger than 50 MiB'),
  filters: z.array(fileFilter).max(8).optional(),
});

/** Structured clone hands the main process a Uint8Array (a Buffer is one too). */
const isBytes = (value: unknown): value is Uint8Array =>
  Object.prototype.toString.call(value) === '[object Uint8Array]';

export const saveBinaryFileRequest = z.strictObject({
  defaultName: fileName,
  bytes: z
    .custom<Uint8Array>(isBytes, 'must be a Uint8Array')
    .refine((bytes) => bytes.byteLength <= MAX_SAVE_BYTES, 'content is larger than 50 MiB'),
  filters: z.array(fileFilter).max(8).optional(),
});

export const protectSecretRequest = z.string().max(MAX_SECRET_CHARS);

export const unprotectSecretRequest = z
  .string()
  .min(4)
  // base64 of a safeStorage blob of at most MAX_SECRET_CHARS (plus header) stays under this.
  .max(MAX_SECRET_CHARS * 6)
  .regex(BASE64, 'must be base64');

export const notifyRequest = z.strictObject({
  title: z.string().trim().min(1).max(120),
  body: z.string().max(1000),
  // An app route only (`#/g/<id>/…`): a click opens it inside the app, never a URL.
  target: z
    .string()
    .max(200)
    .regex(/^#\/[A-Za-z0-9/_-]*$/)
    .optional(),
});

/** Channels that take no argument. */
export const noArgument = z.undefined();

/** LAN sync on or off. */
export const lanEnabledRequest = z.boolean();

/** Automatic updates on or off. */
export const updateEnabledRequest = z.boolean();

/** The renderer's count of unfinished local writes. */
export const pendingWritesRequest = z.number().int().min(0).max(1_000_000);

/** Most groups one device serves on its LAN relay (far more than anyone holds). */
export const MAX_LAN_ROOMS = 1000;

export const lanRoomsRequest = z
  .array(
    z.strictObject({
      groupId: z.string().regex(/^[0-9a-f]{32}$/, 'group id: 32 lower-case hex characters'),
      tokenHash: z.string().regex(/^[0-9a-f]{64}$/, 'token hash: 64 lower-case hex characters'),
      tagKey: z
        .string()
        .regex(/^[0-9a-f]{64}$/, 'tag key: 64 lower-case hex characters')
        .optional(),
    }),
  )
  .max(MAX_LAN_ROOMS);
