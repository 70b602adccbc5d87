// The docs site in real Chromium (Debian's /usr/bin/chromium through playwright-core), from a static server on
// 127.0.0.1 and from file://: filters, search, anchors, no console errors, no request leaving the page.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { buildSite } from '../../src/site/build.js';
import { readSiteInput } from '../../src/site/inputs.js';
import { HOSTILE, hostileInput } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(packageRoot, 'test-results');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

const input = readSiteInput({ api: true });
const contract = input.contract;
let root = '';
let server: Server;
let origin = '';
let browser: Browser;

/** A static file server for `root`, on 127.0.0.1 and a port the system picks. */
function serve(dir: string): Promise<Server> {
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(statSync(file).isDirectory() ? join(file, 'index.html') : file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

interface Watched {
  page: Page;
  errors: string[];
  outside: string[];
  close(): Promise<void>;
}

/** A fresh page whose console errors and requests to anywhere but the site are recorded (and the latter refused). */
async function watchedPage(): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const outside: string[] = [];
  const ours = (url: string) => url.startsWith(`${origin}/`) || url.startsWith('file:') || url.startsWith('data:');
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (ours(url)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  page.on('request', (r) => {
    if (!ours(r.url()) && !outside.includes(r.url())) outside.push(r.url());
  });
  return { page, errors, outside, close: () => context.close() };
}

const visibleRowIds = (page: Page) => page.$$eval('#entries tbody tr[data-field]:not([hidden])', (rows) => rows.map((r) => r.id));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ec-site-'));
  await buildSite(input, join(root, 'site'));
  await buildSite(hostileInput(), join(root, 'hostile'));
  server = await serve(root);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  // typedoc alone takes several seconds: generous on a busy machine.
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the entry index, served', () => {
  it('filters by field, kind and retryable, searches, and counts', async () => {
    const w = await watchedPage();
    const { page } = w;
    await page.goto(`${origin}/site/index.html`);
    expect(await visibleRowIds(page)).toEqual(contract.entries.map((e) => e.id));
    await expect.poll(() => page.textContent('#count')).toBe(`${contract.entries.length} entries`);

    const field = 'response.error.code';
    await page.selectOption('#filter-field', field);
    const ofField = contract.entries.filter((e) => e.field === field);
    expect(await visibleRowIds(page)).toEqual(ofField.map((e) => e.id));
    expect(await page.textContent('#count')).toBe(`${ofField.length} of ${contract.entries.length} entries`);

    const kind = ofField.find((e) => e.kind)!.kind!;
    await page.selectOption('#filter-kind', kind);
    expect(await visibleRowIds(page)).toEqual(ofField.filter((e) => e.kind === kind && !e.refined_by).map((e) => e.id));

    await page.selectOption('#filter-retryable', 'no');
    expect(await visibleRowIds(page)).toEqual(ofField.filter((e) => e.kind === kind && e.retryable === false).map((e) => e.id));

    await page.click('#reset');
    expect(await visibleRowIds(page)).toHaveLength(contract.entries.length);

    // Search: every word must occur in the row (its id, classes, summary, …), in any case.
    const target = contract.entries.find((e) => e.value.length > 8 && e.value !== '*')!;
    await page.fill('#search', target.value.toUpperCase());
    const found = await visibleRowIds(page);
    expect(found).toContain(target.id);
    expect(found.length).toBeLessThan(contract.entries.length);
    await page.fill('#search', `${target.value} zz-no-such-word`);
    expect(await visibleRowIds(page)).toEqual([]);
    expect(await page.isVisible('#no-match')).toBe(true);

    await page.fill('#search', '');
    await page.selectOption('#filter-field', field);
    await page.screenshot({ path: join(ARTIFACTS, 'site-index-filtered.png') });
    await page.click('#reset');
    await page.screenshot({ path: join(ARTIFACTS, 'site-index.png') });

    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
    await w.close();
  });

  it('follows an anchor to an entry, even one the filters hide, and ids with > and * work', async () => {
    const w = await watchedPage();
    const { page } = w;
    const target = contract.entries.find((e) => /[>*]/.test(e.value) && e.field !== 'response.error.code')!;
    // From a field page's "in the index" link...
    await page.goto(`${origin}/site/fields/${target.field}.html`);
    await page.click(`article[id="${target.id}"] h3 a.muted`);
    await page.waitForURL(/index\.html#/);
    expect(await page.$eval(':target', (el) => el.id)).toBe(target.id);
    expect(await page.isVisible(`tr[id="${target.id}"]`)).toBe(true);
    // ...and by changing the fragment while the filters hide the entry: the filters give way.
    await page.selectOption('#filter-field', 'response.error.code');
    expect(await page.isVisible(`tr[id="${target.id}"]`)).toBe(false);
    await page.goto(`${origin}/site/index.html#kinds`);
    await page.evaluate((id) => (location.hash = encodeURIComponent(id)), target.id);
    await expect.poll(() => page.isVisible(`tr[id="${target.id}"]`)).toBe(true);
    expect(await page.$eval(':target', (el) => el.id)).toBe(target.id);
    const box = (await page.locator(`tr[id="${target.id}"]`).boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(900);
    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
    await w.close();
  });

  it('every page of the site, typedoc included, loads without a console error or an outside request', async () => {
    const w = await watchedPage();
    const pages = readdirSync(join(root, 'site'), { recursive: true, encoding: 'utf8' })
      .filter((p) => p.endsWith('.html'))
      .filter((p) => !p.startsWith('api/') || /^api\/(index|functions\/classify|interfaces\/Entry)\.html$/.test(p))
      .sort();
    expect(pages).toEqual(expect.arrayContaining(['index.html', 'procedure.html', 'changelog.html', 'consume.html', 'api/index.html']));
    for (const p of pages) {
      await w.page.goto(`${origin}/site/${p}`, { waitUntil: 'load' });
      expect(await w.page.title(), p).not.toBe('');
    }
    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
    await w.close();
  });
});

describe('from file://', () => {
  it('the index filters and the API docs load, without errors', async () => {
    const w = await watchedPage();
    const { page } = w;
    await page.goto(pathToFileURL(join(root, 'site', 'index.html')).href);
    await page.selectOption('#filter-retryable', 'yes');
    const shown = await visibleRowIds(page);
    expect(shown).toEqual(contract.entries.filter((e) => e.retryable === true).map((e) => e.id));
    await page.goto(pathToFileURL(join(root, 'site', 'api', 'index.html')).href);
    await page.goto(pathToFileURL(join(root, 'site', 'procedure.html')).href);
    expect(await page.textContent('h1')).toContain('decision procedure');
    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
    await w.close();
  });
});

describe('hostile data', () => {
  it('is shown as text and never runs', async () => {
    const w = await watchedPage();
    const { page } = w;
    for (const p of ['index.html', `fields/${contract.entries[0]!.field}.html`, 'changelog.html']) {
      await page.goto(`${origin}/hostile/${p}`);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), p).toBeUndefined();
    }
    await page.goto(`${origin}/hostile/index.html`);
    expect(await page.textContent('body')).toContain(HOSTILE.summary);
    const hostileId = `${contract.entries[0]!.field}/${HOSTILE.value}`;
    expect(await page.$eval(`tr[id="${hostileId.replace(/"/g, '\\"')}"] td.value`, (td) => td.textContent)).toBe(HOSTILE.value);
    expect(w.errors).toEqual([]);
    await w.close();
  });
});

mkdirSync(ARTIFACTS, { recursive: true });
