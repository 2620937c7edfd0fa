/**
 * A benchmark receiver in its own process, so that the relay's deliveries during the ingest benchmark
 * cost the load-generating process nothing. It responds 200 to every request,
 * sends `{type: 'ready', port}` over IPC and replies to `{type: 'stats'}` with `{type: 'stats', delivered}`.
 */
import { startBenchReceiver } from './receiver.js';

// Sequence ids above this still count as delivered, as unknown ones.
const CAPACITY = 1_000_000;

const receiver = await startBenchReceiver({ capacity: CAPACITY });
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', delivered: receiver.delivered });
});
process.once('SIGTERM', () => void receiver.close().then(() => process.exit(0)));
process.once('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', port: Number(new URL(receiver.url).port) });
