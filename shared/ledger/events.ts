/**
 * The events carried (encrypted) in entry bodies, and their schemas.
 * Every body is validated against `walletEventSchema` before it reaches state,
 * so the rest of the core can trust the shapes below.
 */
import { z } from 'zod';
import { MAX_AMOUNT, type SplitSpec } from '../money/types';
import { MAX_ENVELOPE_SHARES } from './red-envelope';
import { MAX_EPOCH } from '../crypto/sealed-key';

/** Hex id of an entry: SHA-256 of its signed bytes (64 hex chars). */
export const entryIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'entry id must be 64 lower-case hex chars');
/** Hex Ed25519 public key of a member (64 hex chars). */
export const memberIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'member id must be 64 lower-case hex chars');
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code');
export const minorSchema = z
  .number()
  .int()
  .refine((n) => Math.abs(n) <= MAX_AMOUNT, 'amount out of range');
export const positiveMinorSchema = minorSchema.refine((n) => n > 0, 'amount must be positive');
/** Calendar date of an expense or payment, as the user entered it (no time zone games). */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'date must be YYYY-MM-DD');

const nameSchema = z.string().trim().min(1).max(80);
/**
 * X25519 public key a member publishes in their join (64 hex chars), for sealing a future group
 * key to them. Optional: joins written before it stay valid.
 */
export const x25519KeySchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'x25519 key must be 64 lower-case hex chars');
/** A sealed epoch key (80 bytes, sealed-key.ts) as hex. */
const SEALED_BOX_PATTERN = /^[0-9a-f]{160}$/;
/** Epoch keys one key.shared may carry (more than any real group's rotations). */
export const MAX_SHARED_KEYS = 1000;
/** Recipients one key.rotated can name: at ~330 bytes each, 180 keep an entry under 64 KiB. */
export const MAX_SEALED = 180;
/** SHA-256 (hex) of an imported row's content: what makes importing the same file twice a no-op. */
export const importIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'import id must be 64 lower-case hex chars');
const memberRecord = <T extends z.ZodType>(v: T) => z.record(memberIdSchema, v);

export const splitSpecSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('equal'), members: z.array(memberIdSchema).min(1).max(200) }).strict(),
  z.object({ mode: z.literal('exact'), amounts: memberRecord(minorSchema) }).strict(),
  z
    .object({ mode: z.literal('percent'), basisPoints: memberRecord(z.number().int().min(0).max(10_000)) })
    .strict(),
  z
    .object({ mode: z.literal('shares'), weights: memberRecord(z.number().int().min(0).max(1_000_000)) })
    .strict(),
  z
    .object({
      mode: z.literal('adjustment'),
      members: z.array(memberIdSchema).min(1).max(200),
      adjustments: memberRecord(minorSchema),
    })
    .strict(),
]);

export const payerSchema = z.object({ member: memberIdSchema, amount: positiveMinorSchema }).strict();

export const expenseDataSchema = z
  .object({
    description: z.string().trim().min(1).max(200),
    category: z.string().max(40).default('general'),
    currency: currencySchema,
    amount: positiveMinorSchema,
    date: dateSchema,
    note: z.string().max(2000).optional(),
    /** Content hash of the imported row this expense came from (docs/import.md); re-importing skips it. */
    importId: importIdSchema.optional(),
    payers: z.array(payerSchema).min(1).max(200),
    split: splitSpecSchema,
  })
  .strict();

/** A reference from a chat message to something else in the group. */
export const refSchema = z
  .object({ kind: z.enum(['expense', 'payment', 'request']), id: entryIdSchema })
  .strict();

/** An exchange rate as an exact rational: 1 unit of `from` = num/den units of `to` (major units). */
export const rateSchema = z
  .object({
    num: z.string().regex(/^[1-9]\d{0,17}$/),
    den: z.string().regex(/^[1-9]\d{0,17}$/),
  })
  .strict();

/**
 * Most occurrences one schedule can ever have (counted from its start): bounds the work a rule
 * costs every fold (weekly: about 96 years). See recurrence.ts.
 */
export const MAX_OCCURRENCES_PER_SCHEDULE = 5000;

/**
 * When a recurring expense repeats. Only the shape is checked here; the fold checks the meaning
 * (real calendar dates, until not before start, not both until and count: recurrence.ts).
 */
const scheduleEnd = {
  /** Last date an occurrence may fall on (inclusive). */
  until: dateSchema.optional(),
  /** Number of occurrences, counted from `start`. */
  count: z.number().int().min(1).max(MAX_OCCURRENCES_PER_SCHEDULE).optional(),
};
const intervalSchema = z.number().int().min(1).max(99);
export const scheduleSchema = z.discriminatedUnion('freq', [
  /** Every `interval` weeks on the weekday of `start`. */
  z
    .object({ freq: z.literal('weekly'), start: dateSchema, interval: intervalSchema, ...scheduleEnd })
    .strict(),
  /** Every `interval` months on `day` (a day past the month's end, or 'last', means its last day). */
  z
    .object({
      freq: z.literal('monthly'),
      start: dateSchema,
      interval: intervalSchema,
      day: z.union([z.number().int().min(1).max(31), z.literal('last')]),
      ...scheduleEnd,
    })
    .strict(),
  /** Every `interval` years on the month and day of `start` (29 February: the 28th in other years). */
  z
    .object({ freq: z.literal('yearly'), start: dateSchema, interval: intervalSchema, ...scheduleEnd })
    .strict(),
]);

/** The expense each occurrence of a recurring rule stands for; its date is the occurrence's. */
export const expenseTemplateSchema = expenseDataSchema.omit({ date: true });

/** A device certificate's fields (shared/crypto/device-cert.ts). */
const certificateFields = {
  person: memberIdSchema,
  device: memberIdSchema,
  created: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  name: nameSchema.optional(),
  signature: z.string().regex(/^[0-9a-f]{128}$/, 'signature must be 128 lower-case hex chars'),
};

/** Rotated epoch keys a link grant may carry per group (more than any real group's rotations). */
export const MAX_GRANTED_EPOCHS = 1000;

/** A group handed to a newly linked device: what an invite carries, and its name. */
export const linkedGroupSchema = z
  .object({
    id: z.string().regex(/^[0-9a-f]{32}$/, 'group id must be 32 lower-case hex chars'),
    /** The group key, 64 lower-case hex chars. */
    key: z.string().regex(/^[0-9a-f]{64}$/, 'group key must be 64 lower-case hex chars'),
    relay: z.string().max(2000),
    name: nameSchema,
    /**
     * The rotated epoch keys the granting device holds (protocol §15), by the key.rotated entry
     * that brought each: a device linked after a rotation was sealed none of them.
     */
    epochs: z
      .array(
        z
          .object({
            rotation: entryIdSchema,
            key: z.string().regex(/^[0-9a-f]{64}$/, 'epoch key must be 64 lower-case hex chars'),
          })
          .strict(),
      )
      .max(MAX_GRANTED_EPOCHS)
      .optional(),
  })
  .strict();

export const walletEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('group.created'),
      name: nameSchema,
      currency: currencySchema,
      memberName: nameSchema,
      x25519: x25519KeySchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('group.renamed'), name: nameSchema }).strict(),
  z.object({ type: z.literal('group.currency'), currency: currencySchema }).strict(),
  z
    .object({ type: z.literal('member.joined'), name: nameSchema, x25519: x25519KeySchema.optional() })
    .strict(),
  z.object({ type: z.literal('member.renamed'), name: nameSchema }).strict(),
  z.object({ type: z.literal('expense.created'), expense: expenseDataSchema }).strict(),
  z
    .object({
      type: z.literal('expense.updated'),
      /** The expense: id of the entry that created it. */
      expense: entryIdSchema,
      /** The version this edit was made on: id of the entry that produced it (create or update). */
      base: entryIdSchema,
      data: expenseDataSchema,
    })
    .strict(),
  z.object({ type: z.literal('expense.deleted'), expense: entryIdSchema, base: entryIdSchema }).strict(),
  z
    .object({
      type: z.literal('payment.recorded'),
      from: memberIdSchema,
      to: memberIdSchema,
      amount: positiveMinorSchema,
      currency: currencySchema,
      date: dateSchema,
      note: z.string().max(2000).optional(),
      /** The payment request this payment fulfils, if any. */
      request: entryIdSchema.optional(),
      /** Content hash of the imported row this payment came from (docs/import.md). */
      importId: importIdSchema.optional(),
    })
    .strict()
    .refine((p) => p.from !== p.to, 'a payment needs two different members'),
  z.object({ type: z.literal('payment.deleted'), payment: entryIdSchema }).strict(),
  z
    .object({
      type: z.literal('request.created'),
      /** Who is asked to pay. */
      from: memberIdSchema,
      /** Who will receive the money. */
      to: memberIdSchema,
      amount: positiveMinorSchema,
      currency: currencySchema,
      note: z.string().max(2000).optional(),
    })
    .strict()
    .refine((p) => p.from !== p.to, 'a request needs two different members'),
  z.object({ type: z.literal('request.cancelled'), request: entryIdSchema }).strict(),
  z
    .object({ type: z.literal('chat.message'), text: z.string().min(1).max(4000), ref: refSchema.optional() })
    .strict(),
  z
    .object({
      type: z.literal('rate.recorded'),
      from: currencySchema,
      to: currencySchema,
      rate: rateSchema,
      date: dateSchema,
    })
    .strict()
    .refine((r) => r.from !== r.to, 'a rate needs two different currencies'),
  // Recurring expenses (docs/protocol.md §12): occurrences are derived by the fold, never written.
  z
    .object({
      type: z.literal('recurring.created'),
      schedule: scheduleSchema,
      template: expenseTemplateSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('recurring.updated'),
      /** The rule: id of the entry that created it. */
      rule: entryIdSchema,
      /** Occurrences before this date stay as they were; from it on, this schedule and template rule. */
      effectiveFrom: dateSchema,
      schedule: scheduleSchema,
      template: expenseTemplateSchema,
    })
    .strict(),
  z.object({ type: z.literal('recurring.stopped'), rule: entryIdSchema, effectiveFrom: dateSchema }).strict(),
  z
    .object({
      type: z.literal('occurrence.edited'),
      rule: entryIdSchema,
      /** The occurrence's date in the rule (its identity), whatever date `data` gives it. */
      date: dateSchema,
      data: expenseDataSchema,
    })
    .strict(),
  z.object({ type: z.literal('occurrence.skipped'), rule: entryIdSchema, date: dateSchema }).strict(),
  // Leaving and removal (docs/protocol.md §13): rules in fold-membership.ts.
  z.object({ type: z.literal('member.left') }).strict(),
  /** By the group's creator only; anyone else approves instead (a majority removes). */
  z.object({ type: z.literal('member.removed'), member: memberIdSchema }).strict(),
  z.object({ type: z.literal('member.removal_approved'), member: memberIdSchema }).strict(),
  // Balance hand-over: the author moves `amount` of their balance in `currency` to `to` (positive:
  // a credit, negative: a debt); it counts only once `to` accepts.
  z
    .object({
      type: z.literal('balance.handed_over'),
      to: memberIdSchema,
      currency: currencySchema,
      amount: minorSchema.refine((n) => n !== 0, 'amount must not be zero'),
    })
    .strict(),
  z.object({ type: z.literal('balance.handover_accepted'), handover: entryIdSchema }).strict(),
  /** By the giver (withdraw) or the receiver (decline), while it waits. */
  z.object({ type: z.literal('balance.handover_cancelled'), handover: entryIdSchema }).strict(),
  // Red envelopes (lucky money, docs/red-envelopes.md): the author is the sender. Nothing leaves a
  // balance until someone opens it; count ≤ amount is checked by the fold (the schema sees one field).
  z
    .object({
      type: z.literal('envelope.created'),
      amount: positiveMinorSchema,
      currency: currencySchema,
      count: z.number().int().min(1).max(MAX_ENVELOPE_SHARES),
      /** The sender's calendar date: the date of every claim in statements. */
      date: dateSchema,
      note: z.string().max(200).optional(),
    })
    .strict(),
  z.object({ type: z.literal('envelope.opened'), envelope: entryIdSchema }).strict(),
  /** The sender takes back the unopened shares (written by the sender's app after ENVELOPE_EXPIRY_MS). */
  z.object({ type: z.literal('envelope.reclaimed'), envelope: entryIdSchema }).strict(),
  // Key rotation (docs/protocol.md §15): a new epoch key, sealed to each remaining member
  // (shared/crypto/sealed-key.ts); rules in fold-keys.ts.
  z
    .object({
      type: z.literal('key.rotated'),
      epoch: z.number().int().min(1).max(MAX_EPOCH),
      sealed: z
        .array(
          z
            .object({
              member: memberIdSchema,
              /** The recipient's published X25519 key the box was sealed to. */
              x25519: x25519KeySchema,
              box: z.string().regex(SEALED_BOX_PATTERN, 'a sealed key is 160 lower-case hex chars'),
            })
            .strict(),
        )
        .min(1)
        .max(MAX_SEALED),
    })
    .strict(),
  /**
   * Epoch keys this device holds, sealed to a member who was never sealed them (one who joined
   * after a rotation): one box per rotation, as in key.rotated (§15).
   */
  z
    .object({
      type: z.literal('key.shared'),
      member: memberIdSchema,
      x25519: x25519KeySchema,
      keys: z
        .array(
          z
            .object({
              rotation: entryIdSchema,
              epoch: z.number().int().min(1).max(MAX_EPOCH),
              box: z.string().regex(SEALED_BOX_PATTERN, 'a sealed key is 160 lower-case hex chars'),
            })
            .strict(),
        )
        .min(1)
        .max(MAX_SHARED_KEYS),
    })
    .strict(),
  // One person, several devices (docs/protocol.md §16): rules in fold-devices.ts.
  /**
   * The device certificate (shared/crypto/device-cert.ts), flattened, and the device's own X25519
   * key (honoured only when the device publishes it itself) so rotated keys can be sealed to it.
   */
  z
    .object({ type: z.literal('device.linked'), ...certificateFields, x25519: x25519KeySchema.optional() })
    .strict(),
  /** By the person or another of their devices: the device's later entries no longer count. */
  z.object({ type: z.literal('device.unlinked'), device: memberIdSchema }).strict(),
  // The linking ceremony (§16): only ever in a link room (shared/link), never in a group.
  z.object({ type: z.literal('link.request'), device: memberIdSchema, name: nameSchema }).strict(),
  /** The first device's user said no: the asking device stops waiting. */
  z.object({ type: z.literal('link.declined'), device: memberIdSchema }).strict(),
  z
    .object({
      type: z.literal('link.grant'),
      certificate: z.object(certificateFields).strict(),
      displayName: nameSchema,
      groups: z.array(linkedGroupSchema).max(500),
    })
    .strict(),
]);

export type WalletEvent = z.infer<typeof walletEventSchema>;
export type WalletEventType = WalletEvent['type'];
export type ExpenseData = z.infer<typeof expenseDataSchema>;
/** What callers pass in: category may be omitted and defaults to "general". */
export type ExpenseInput = z.input<typeof expenseDataSchema>;
export type EventRef = z.infer<typeof refSchema>;
export type Rate = z.infer<typeof rateSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
export type ExpenseTemplate = z.infer<typeof expenseTemplateSchema>;
export type EventOf<T extends WalletEventType> = Extract<WalletEvent, { type: T }>;

// The schema and the money module's SplitSpec must describe the same shape.
type AssertSame<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _splitShapeMatches: AssertSame<z.infer<typeof splitSpecSchema>, DeepMutable<SplitSpec>> = true;
void _splitShapeMatches;
type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;
