import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN, startEmulator, type EmulatorOptions } from '../../serve/server.js';
import { UsageError, type Command } from '../command.js';
import { writeOut } from '../io.js';

function integerOption(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the background-lifecycle emulator (an HTTP server on 127.0.0.1) for SDK tests.',
  usage: `Usage: error-contract serve [--port N] [--token TOKEN] [--profile NAME] [--max-jobs N] [--ttl SECONDS] [--log-size N]
                            [--webhook-url URL --webhook-secret SECRET]

Serves POST /v1/responses, GET /v1/responses/{id}, POST /v1/responses/{id}/cancel and DELETE /v1/responses/{id};
POST and GET of /v1/batches, /v1/fine_tuning/jobs, /v1/vector_stores/{id}/files and
/v1/vector_stores/{id}/file_batches (create, then /{id} to retrieve), on 127.0.0.1. The first line on standard
output is the base URL to give an SDK (e.g. http://127.0.0.1:43121/v1).
A request's metadata (a vector-store file's or file batch's attributes) picks its course: "scenario" (a contract
entry id of that object; GET /__emulator/scenarios lists them), "polls" (polls answered in progress first),
"faults" (polls answered with an HTTP scenario's error first), "poll_after_ms", "retry_after_ms" (sent with faults
and with a failed job's last poll), "retry_hint" (how: "both", "retry-after-ms", "retry-after" or "http-date" with
a date header), "should_retry", "times". GET /__emulator/log returns the request log, GET /__emulator/webhooks the
webhook deliveries.

  --port N          port to listen on; 0 (the default) picks a free one
  --token TOKEN     the bearer token accepted (default: ${DEFAULT_TOKEN})
  --profile NAME    a contract profile whose lifecycle decides how jobs are created (default: OpenAI's)
  --max-jobs N      live jobs kept at most; a create beyond answers 429 (default: 10000)
  --ttl SECONDS     a job's time to live from its creation (default: 3600)
  --log-size N      request-log entries kept (default: 50000)
  --webhook-url URL        POST a signed webhook event there when a job ends (batch.failed, response.completed,
                           fine_tuning.job.succeeded, …: each type the contract lists); a job without "polls" then
                           ends as soon as its create is answered
  --webhook-secret SECRET  the signing secret (Standard Webhooks: whsec_ + base64, or any text), as
                           client.webhooks.unwrap(body, headers, secret) takes it; required with --webhook-url

Runs until interrupted (SIGINT or SIGTERM), then exits 0.
Exit: 2 usage error or the port cannot be used.`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        token: { type: 'string' },
        profile: { type: 'string' },
        'max-jobs': { type: 'string' },
        ttl: { type: 'string' },
        'log-size': { type: 'string' },
        'webhook-url': { type: 'string' },
        'webhook-secret': { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`serve takes no arguments, got "${positionals[0]}"`);
    if (values.token !== undefined && values.token.trim() === '') throw new UsageError('--token must not be empty');
    const ttl = integerOption('ttl', values.ttl, 1, 2_000_000);
    if ((values['webhook-url'] === undefined) !== (values['webhook-secret'] === undefined))
      throw new UsageError('--webhook-url and --webhook-secret go together');
    const options: EmulatorOptions = {
      port: integerOption('port', values.port, 0, 65535) ?? 0,
      token: values.token,
      profile: values.profile,
      maxJobs: integerOption('max-jobs', values['max-jobs'], 1, 10_000_000),
      ttlMs: ttl === undefined ? undefined : ttl * 1000,
      logSize: integerOption('log-size', values['log-size'], 1, 10_000_000),
      webhookUrl: values['webhook-url'],
      webhookSecret: values['webhook-secret'],
    };
    let emulator;
    try {
      emulator = await startEmulator(options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (error instanceof RangeError) throw new UsageError(error.message);
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        process.stderr.write(
          `error-contract serve: cannot listen on 127.0.0.1:${options.port}: ${(error as Error).message}\n`,
        );
        return 2;
      }
      throw error;
    }
    await writeOut(`${emulator.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await emulator.close();
    return 0;
  },
};
