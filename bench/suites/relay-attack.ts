/**
 * The relay under attack (issue 10), measured on a real relay child process (`cli.ts`, default
 * limits) with its memory read from /proc:
 *
 * - amplification: a room of valid envelopes (15 MB); from one address, one connection that
 *   never reads and four that do send "send me everything" (SyncStep1, empty state vector),
 *   the non-reader under the per-connection rate, the readers at a tenth of it. Figures: the
 *   relay's peak RSS, and the write→echo p99 of a well-behaved group in another room, beside
 *   the same probe measured just before the attack in the same run.
 * - presence: twenty connections each announce a 5 MB awareness state; peak RSS.
 *
 * The attackers run in a worker thread, so the probe's event loop measures the relay only.
 */
import { envelopeRoom, fillerEntries, totalBytes } from '../../sync-server/attacks/envelopes';
import {
  awarenessMessage,
  MB,
  Probe,
  percentile,
  rawSocket,
  runCleanups,
  sleep,
  startAttackRelay,
  uploadEntries,
  watchRss,
} from '../../sync-server/attacks/support';
import { startAmplificationFlood } from '../../sync-server/attacks/floods';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { atMost, type BenchResult, type BenchSuite, round } from '../harness';

interface Sizes {
  readonly roomBytes: number;
  readonly attackMs: number;
  readonly quietMs: number;
  readonly probeGapMs: number;
  readonly presenceConnections: number;
  readonly presenceStateBytes: number;
}

const FULL: Sizes = {
  roomBytes: 15 * MB,
  attackMs: 15_000,
  quietMs: 5_000,
  probeGapMs: 20,
  presenceConnections: 20,
  presenceStateBytes: 5 * MB,
};
const QUICK: Sizes = {
  roomBytes: 3 * MB,
  attackMs: 3_000,
  quietMs: 1_500,
  probeGapMs: 20,
  presenceConnections: 5,
  presenceStateBytes: 1 * MB,
};
const ATTACKER = '127.0.0.3';

async function amplification(sizes: Sizes): Promise<BenchResult[]> {
  const relay = await startAttackRelay({}, { register: false });
  try {
    const room = await envelopeRoom(8);
    const entries = [...room.setup, ...(await fillerEntries(room, sizes.roomBytes))];
    await uploadEntries(relay.url, room, entries);
    const samples = Math.ceil((sizes.quietMs + sizes.attackMs) / sizes.probeGapMs) + 50;
    const probe = await Probe.start(relay.url, samples);
    const quiet = await probe.run(sizes.quietMs, sizes.probeGapMs);

    const rss = watchRss(relay, { intervalMs: 20 });
    const flood = startAmplificationFlood(relay.url, room, ATTACKER);
    const during = await probe.run(sizes.attackMs, sizes.probeGapMs);
    const report = await flood.stop();
    const peak = rss.stop();
    const up = relay.process.running && (await relay.healthy());

    const quietP99 = round(percentile(quiet, 99), 2);
    const p99 = round(percentile(during, 99), 2);
    const peakMb = round(peak / MB, 1);
    const limit = round(Math.min(50, 3 * quietP99), 2);
    const received = report.received.reduce((a, b) => a + b, 0);
    const note =
      `${round(totalBytes(entries) / MB, 1)} MB room; 1 non-reading + 4 reading connections, ` +
      `${report.sent.reduce((a, b) => a + b, 0)} SyncStep1 in ${sizes.attackMs / 1000} s; ` +
      `readers got ${round(received / MB, 1)} MB` +
      (up ? '' : '; THE RELAY DID NOT SURVIVE');
    return [
      {
        name: 'relay.attack.amplify.rss.mb',
        value: peakMb,
        unit: 'MB',
        ...atMost(up ? peakMb : Number.POSITIVE_INFINITY, 512),
        note,
      },
      {
        name: 'relay.attack.amplify.probe.p99.ms',
        value: p99,
        unit: 'ms',
        baseline: { name: 'relay.attack.amplify.probe.quiet.p99.ms', value: quietP99, unit: 'ms' },
        ...atMost(p99, limit),
        note: `write→echo in another room, ${during.length} samples; target min(50, 3× quiet)`,
      },
    ];
  } finally {
    await runCleanups();
    await relay.stop();
  }
}

function presenceMessage(stateBytes: number): Uint8Array {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { name: 'x'.repeat(stateBytes) } });
  const message = awarenessMessage(encodeAwarenessUpdate(awareness, [doc.clientID]));
  awareness.destroy();
  doc.destroy();
  return message;
}

async function presence(sizes: Sizes): Promise<BenchResult[]> {
  const relay = await startAttackRelay({}, { register: false });
  try {
    const room = await envelopeRoom(1);
    const sockets = Array.from({ length: sizes.presenceConnections }, () =>
      rawSocket(relay.url, room.roomId, room.token),
    );
    for (const s of sockets) await s.opened;
    await sleep(300);
    const before = sockets.reduce((sum, s) => sum + s.received, 0);
    const rss = watchRss(relay, { intervalMs: 20 });
    const message = presenceMessage(sizes.presenceStateBytes);
    for (const s of sockets) s.send(message);
    await sleep(3_000);
    const peakMb = round(rss.stop() / MB, 1);
    const fanned = sockets.reduce((sum, s) => sum + s.received, 0) - before;
    const up = relay.process.running && (await relay.healthy());
    return [
      {
        name: 'relay.attack.presence.rss.mb',
        value: peakMb,
        unit: 'MB',
        ...atMost(up ? peakMb : Number.POSITIVE_INFINITY, 256),
        note:
          `${sizes.presenceConnections} connections × ${round(sizes.presenceStateBytes / MB, 1)} MB presence; ` +
          `${round(fanned / 1024, 1)} KB fanned out` +
          (up ? '' : '; THE RELAY DID NOT SURVIVE'),
      },
    ];
  } finally {
    await runCleanups();
    await relay.stop();
  }
}

export const relayAttackSuite: BenchSuite = {
  name: 'relay-attack',
  async run({ quick }) {
    const sizes = quick ? QUICK : FULL;
    return [...(await amplification(sizes)), ...(await presence(sizes))];
  },
};
