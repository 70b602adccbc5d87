// Speed of the emulator and of waitForResponse, as ratios measured in this one process run (never asserted):
//  1. emulator polls against a bare node:http server answering the same JSON, same client, same concurrency;
//  2. waitForResponse against a hand-written retrieve loop over the same jobs (the cost of classifying each poll);
//  3. 1,000 concurrent background jobs created and waited for through one client.
// Run after `npm run build`: node test/serve/bench.mjs (exports runEmulatorBench for test/bench/run.mjs).
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { waitForResponse } from '../../dist/src/openai/index.js';
import { startEmulator } from '../../dist/src/serve/server.js';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => `${Math.round(n).toLocaleString('en')}/s`;

/** Runs `count` tasks with at most `width` in flight; returns the seconds taken. */
async function timed(count, width, task) {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return (performance.now() - start) / 1000;
}

async function bareServer(body) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.close(r);
        server.closeAllConnections();
      }),
  };
}

export async function runEmulatorBench() {
  const rows = [];
  const emulator = await startEmulator({ maxJobs: 100_000, logSize: 100_000 });
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries: 0 });
  try {
    // 1. One completed job polled again and again, against a server that only answers its JSON.
    const job = await client.responses.create({ model: 'm', background: true });
    const answer = JSON.stringify(await client.responses.retrieve(job.id));
    const bare = await bareServer(answer);
    const polls = 2_000;
    const headers = { authorization: 'Bearer sk-test' };
    const runs = { emulator: [], bare: [] };
    for (let i = 0; i < 3; i++) {
      runs.emulator.push(
        await timed(polls, 32, async () => (await fetch(`${emulator.url}/responses/${job.id}`, { headers })).json()),
      );
      runs.bare.push(await timed(polls, 32, async () => (await fetch(bare.url, { headers })).json()));
    }
    await bare.close();
    rows.push([
      'serve: GET /v1/responses/{id} vs bare node:http',
      `${fmt(polls / median(runs.emulator))} vs ${fmt(polls / median(runs.bare))}`,
      (median(runs.emulator) / median(runs.bare)).toFixed(2) + 'x',
      '(reference)',
    ]);

    // 2. Jobs in progress for 3 polls: waitForResponse against the loop a user would write without it.
    const jobs = 300;
    const create = () => client.responses.create({ model: 'm', background: true, metadata: { polls: '3' } });
    const wait = { helper: [], loop: [] };
    for (let i = 0; i < 3; i++) {
      wait.helper.push(
        await timed(jobs, 32, async () =>
          waitForResponse(client, (await create()).id, { pollIntervalMs: 1, maxPollIntervalMs: 1 }),
        ),
      );
      wait.loop.push(
        await timed(jobs, 32, async () => {
          const { id } = await create();
          for (let n = 0; n < 10; n++) {
            const r = await client.responses.retrieve(id);
            if (r.status !== 'queued' && r.status !== 'in_progress') return r;
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
          throw new Error('bench: job did not end');
        }),
      );
    }
    rows.push([
      'waitForResponse vs hand-written retrieve loop',
      `${fmt(jobs / median(wait.helper))} vs ${fmt(jobs / median(wait.loop))} jobs`,
      (median(wait.helper) / median(wait.loop)).toFixed(2) + 'x',
      '(reference)',
    ]);

    // 3. The test suite's load, timed.
    const many = 1_000;
    const seconds = await timed(many, many, async (i) => {
      const { id } = await client.responses.create({
        model: 'm',
        background: true,
        metadata: { polls: String(i % 4) },
      });
      await waitForResponse(client, id, { pollIntervalMs: 2, maxPollIntervalMs: 20 });
    });
    rows.push([
      `${many.toLocaleString('en')} concurrent background jobs (create + wait)`,
      `${fmt(many / seconds)} jobs, ${seconds.toFixed(1)} s`,
      '-',
      '(reference)',
    ]);
  } finally {
    await emulator.close();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await runEmulatorBench()) console.log(row.join('  '));
}
