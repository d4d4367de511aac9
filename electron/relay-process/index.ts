/**
 * Entry of the relay's utility process (built to out/main/relay.js, started by the main process
 * with utilityProcess.fork). A crash here ends this process only; the window stays up and the
 * main process starts a new one (relay-supervisor.ts).
 */
import { startRelay } from '../../sync-server/relay';
import { runRelayChild } from './run';

runRelayChild(process.parentPort, { start: startRelay, exit: (code) => process.exit(code) });
