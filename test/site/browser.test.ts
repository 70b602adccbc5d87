// The docs site in real Chromium (Debian's /usr/bin/chromium through playwright-core), from a static server on
// 127.0.0.1 and from file://: filters, search, anchors, no console errors, no request leaving the page.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { buildSite } from '../../src/site/build.js';
import { readSiteInput } from '../../src/site/inputs.js';
import { HOSTILE, hostileInput } from './support.js';
import { launchChromium } from '../support/chromium.js';

const ARTIFACTS = join(packageRoot, 'test-results');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

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
async function watchedPage(viewport = { width: 1400, height: 900 }): Promise<Watched> {
  const context = await browser.newContext({
    viewport,
    ...(viewport.width < 500 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}),
  });
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

const visibleRowIds = (page: Page) =>
  page.$$eval('#entries tbody tr[data-field]:not([hidden])', (rows) => rows.map((r) => r.id));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ec-site-'));
  await buildSite(input, join(root, 'site'));
  await buildSite(hostileInput(), join(root, 'hostile'));
  server = await serve(root);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
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
    expect(await visibleRowIds(page)).toEqual(
      ofField.filter((e) => e.kind === kind && e.retryable === false).map((e) => e.id),
    );

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
    expect(pages).toEqual(
      expect.arrayContaining(['index.html', 'procedure.html', 'changelog.html', 'consume.html', 'api/index.html']),
    );
    for (const p of pages) {
      await w.page.goto(`${origin}/site/${p}`, { waitUntil: 'load' });
      expect(await w.page.title(), p).not.toBe('');
    }
    expect(w.errors).toEqual([]);
    expect(w.outside).toEqual([]);
    await w.close();
  });
});

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

/** The first visible row after a search, and whether its retry cell lies inside the viewport. */
async function firstHit(page: Page, text: string): Promise<{ id: string; retryInView: boolean; retry: string }> {
  await page.fill('#search', text);
  const row = page.locator('#entries tbody tr[data-field]:not([hidden])').first();
  const id = (await row.getAttribute('id'))!;
  const retry = row.locator('td.retry');
  const box = (await retry.boundingBox())!;
  const view = page.viewportSize()!;
  const retryInView = box.x >= 0 && box.y >= 0 && box.x + box.width <= view.width && box.y + box.height <= view.height;
  return { id, retryInView, retry: (await retry.textContent())!.trim() };
}

const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const vp of VIEWPORTS) {
  describe(`for a person, at ${vp.width}x${vp.height} (${vp.name})`, () => {
    it('finds an entry by its value, its Python class and a word of its remedy, with the retry decision in view', async () => {
      const w = await watchedPage(vp);
      const { page } = w;
      await page.goto(`${origin}/site/index.html`);
      const quota = await firstHit(page, 'insufficient_quota');
      expect(quota.id).toMatch(/\/insufficient_quota$/);
      expect(quota.retryInView).toBe(true);
      expect(quota.retry).toMatch(/don’t retry/);
      await page.screenshot({ path: join(ARTIFACTS, `site-${vp.name}-search-value.png`) });

      // What classify prints, and a class only one kind raises.
      const rate = await firstHit(page, 'openai.RateLimitError');
      expect(contract.entries.find((e) => e.id === rate.id)!.kind).toBe('rate_limit_error');
      expect(rate.retryInView).toBe(true);
      // Python's name for a timeout (Node calls it APIConnectionTimeoutError).
      const python = contract.kinds.api_timeout_error!.python.class;
      expect(contract.entries.some((e) => e.kind === 'api_timeout_error')).toBe(true);
      const byClass = await firstHit(page, `openai.${python}`);
      expect(contract.kinds[contract.entries.find((e) => e.id === byClass.id)!.kind!]!.python.class).toBe(python);
      expect(byClass.retryInView).toBe(true);

      // A word of a remedy only: "billing" is in the quota remedy, not in its value or summary.
      const billing = await firstHit(page, 'billing');
      expect(contract.entries.find((e) => e.id === billing.id)!.remedy.toLowerCase()).toContain('billing');
      expect(billing.retryInView).toBe(true);
      expect((await visibleRowIds(page)).length).toBeGreaterThan(0);
      await page.fill('#search', 'retry');
      expect((await visibleRowIds(page)).length).toBeGreaterThan(10);

      // The search is in the URL: reloading it gives the same view.
      await page.fill('#search', 'insufficient_quota');
      await expect.poll(() => new URL(page.url()).search).toBe('?q=insufficient_quota');
      const before = await visibleRowIds(page);
      await page.reload();
      expect(await page.inputValue('#search')).toBe('insufficient_quota');
      expect(await visibleRowIds(page)).toEqual(before);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(w.errors).toEqual([]);
      expect(w.outside).toEqual([]);
      await w.close();
    });

    it('follows a URL with filters, and shows stability', async () => {
      const w = await watchedPage(vp);
      const { page } = w;
      await page.goto(`${origin}/site/index.html?kind=rate_limit_error&retryable=no&stability=experimental`);
      expect(await page.inputValue('#filter-kind')).toBe('rate_limit_error');
      expect(await page.inputValue('#filter-retryable')).toBe('no');
      const expected = contract.entries
        .filter(
          (e) =>
            e.kind === 'rate_limit_error' &&
            !e.refined_by &&
            e.retryable === false &&
            e.stability === 'experimental' &&
            !e.deprecated,
        )
        .map((e) => e.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(await visibleRowIds(page)).toEqual(expected);
      expect(await page.locator(`tr[id="${expected[0]}"] .badge.experimental`).isVisible()).toBe(true);
      expect(await page.getAttribute('#permalink', 'href')).toBe(
        'index.html?kind=rate_limit_error&retryable=no&stability=experimental',
      );
      await page.screenshot({ path: join(ARTIFACTS, `site-${vp.name}-filtered.png`) });
      // Junk in the URL is ignored, never shown or run.
      await page.goto(`${origin}/site/index.html?kind=%3Cscript%3E&q=%E0%A4%A`);
      expect(await page.inputValue('#filter-kind')).toBe('');
      expect(w.errors).toEqual([]);
      await w.close();
    });

    it('no page overflows sideways; the top of the index, the kinds, a field page and the guide are saved', async () => {
      const w = await watchedPage(vp);
      const { page } = w;
      await page.goto(`${origin}/site/index.html`);
      await page.screenshot({ path: join(ARTIFACTS, `site-${vp.name}-index.png`) });
      await page.locator('#kinds').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, `site-${vp.name}-kinds.png`) });
      expect(await page.textContent('#kinds-table')).not.toMatch(/—>=|—\d/);
      const pages = [
        'index.html',
        'fields/error.code.html',
        'fields/response.status.html',
        'consume.html',
        'procedure.html',
        'changelog.html',
      ];
      for (const p of pages) {
        await page.goto(`${origin}/site/${p}`);
        expect(await horizontalOverflow(page), p).toBeLessThanOrEqual(0);
      }
      await page.goto(`${origin}/site/fields/error.code.html`);
      await page.screenshot({ path: join(ARTIFACTS, `site-${vp.name}-field.png`) });
      await page.goto(`${origin}/site/consume.html`);
      await page.screenshot({ path: join(ARTIFACTS, `site-${vp.name}-consume.png`) });
      expect(w.errors).toEqual([]);
      await w.close();
    });
  });
}

describe('from file://', () => {
  it('the index filters and the API docs load, without errors', async () => {
    const w = await watchedPage();
    const { page } = w;
    await page.goto(pathToFileURL(join(root, 'site', 'index.html')).href);
    await page.selectOption('#filter-retryable', 'yes');
    const shown = await visibleRowIds(page);
    expect(shown).toEqual(contract.entries.filter((e) => e.retryable === true).map((e) => e.id));
    // A view given in the query string holds from file:// too.
    await page.goto(pathToFileURL(join(root, 'site', 'index.html')).href + '?retryable=no&q=quota');
    expect(await page.inputValue('#search')).toBe('quota');
    expect((await visibleRowIds(page)).length).toBeGreaterThan(0);
    await page.fill('#search', 'insufficient_quota');
    expect(await page.getAttribute('#permalink', 'href')).toBe('index.html?retryable=no&q=insufficient_quota');
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
    expect(await page.$eval(`tr[id="${hostileId.replace(/"/g, '\\"')}"] th.key a.value`, (td) => td.textContent)).toBe(
      HOSTILE.value,
    );
    expect(w.errors).toEqual([]);
    await w.close();
  });
});

mkdirSync(ARTIFACTS, { recursive: true });
