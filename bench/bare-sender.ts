/**
 * Baseline of the delivery benchmark, run as a child process: a bare undici POST loop that sends
 * `count` Boro messages to `url` with `concurrency` requests in flight, without signing.
 * Arguments: <url> <count> <concurrency>. It sends `{type: 'ready'}` over IPC, starts on
 * `{type: 'start'}` and sends `{type: 'done', errors}` when every response has arrived.
 */
import { Agent, request } from 'undici';
import { boroMessageBody } from './payloads.js';

const [url = '', countText = '', concurrencyText = ''] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concurrencyText);
if (!url.startsWith('http://') || !Number.isInteger(count) || !Number.isInteger(concurrency) || concurrency < 1) {
  process.stderr.write(`usage: bare-sender.ts <url> <count> <concurrency>, got '${process.argv.slice(2).join(' ')}'\n`);
  process.exit(2);
}

// The same connection settings as the relay's delivery agent: one request per connection at a time, kept alive.
const dispatcher = new Agent({ pipelining: 1, keepAliveTimeout: 4_000 });
let nextSequenceId = 1;
let errors = 0;

async function sendLoop(): Promise<void> {
  while (nextSequenceId <= count) {
    const sequenceId = nextSequenceId++;
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `bench-${sequenceId}`,
          'user-agent': 'boro-bench-baseline',
        },
        body: boroMessageBody(sequenceId),
      });
      await response.body.text();
      if (response.statusCode !== 200) errors += 1;
    } catch {
      errors += 1;
    }
  }
}

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'start') return;
  const loops = Array.from({ length: concurrency }, () => sendLoop());
  void Promise.all(loops).then(async () => {
    process.send?.({ type: 'done', errors });
    await dispatcher.close();
  });
});
process.once('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
