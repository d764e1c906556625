// browser.mjs - the reader in a real browser: Debian's Chromium, driven by
// playwright-core, against the real `tidings serve` on loopback.
//
//   node browser.mjs TIDINGS FIXTURE_SERVER WWW ARTIFACTS     (prints TAP)
//
// Setup: the project's fixture server serves WWW (two invented outlets'
// feeds and article pages, one of them hostile); `tidings add` and
// `tidings crawl --once` fill a temporary database; `tidings serve
// --no-crawl` serves it on a free loopback port.  Chromium starts with the
// flags issue 4 names (without the background-networking ones it keeps
// trying to reach the outside) and a fresh user-data directory, removed at
// the end.  The cases then read, search, sign up, comment (with the site's
// script and without any script), listen, and look for injected markup; a
// full-page screenshot of each page goes to ARTIFACTS.
//
// Without Chromium or the npm packages (a developer machine that never ran
// `./setup.sh --deps`) the test skips; under CI=true it fails instead,
// since setup.sh installs both there.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const CHROMIUM = '/usr/bin/chromium';
// Issue 4's flags, exactly; the user-data directory is added per run.
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const WAIT_MS = 30000;

const [TIDINGS, FIXTURE, WWW, ARTIFACTS] = process.argv.slice(2);
const CI = process.env.CI === 'true';
const run = promisify(execFile);

function bail(reason) {
  if (CI) {
    console.log('1..1');
    console.log(`not ok 1 - browser test cannot run: ${reason}`);
    process.exit(1);
  }
  console.log(`1..0 # SKIP ${reason}`);
  process.exit(0);
}

if (!TIDINGS || !FIXTURE || !WWW || !ARTIFACTS) {
  console.error('usage: node browser.mjs TIDINGS FIXTURE_SERVER WWW ARTIFACTS');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) bail(`${CHROMIUM} is not installed (./setup.sh --deps)`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  bail('playwright-core is not installed in tests/browser/node_modules (./setup.sh --deps)');
}

// ---- the servers ----------------------------------------------------------

const children = [];

// Start a program that prints "http://127.0.0.1:PORT/" on its first line.
function startServer(argv, env) {
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
    children.push(p);
    let err = '';
    // The access log and, under ASan/UBSan, any report: capped, kept whole below the cap.
    p.stderr.on('data', (d) => { if (err.length < (1 << 20)) err += d; });
    const lines = createInterface({ input: p.stdout });
    const timer = setTimeout(() => reject(new Error(`${argv[0]} did not start: ${err}`)), WAIT_MS);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
      if (m) resolve({ proc: p, base: m[0], stderr: () => err });
      else reject(new Error(`${argv[0]} printed ${JSON.stringify(line)}: ${err.slice(-2000)}`));
    });
    p.on('exit', (code) => reject(new Error(`${argv[0]} exited ${code}: ${err.slice(-2000)}`)));
  });
}

// SIGTERM a server (tidings shuts down gracefully); resolves to its exit code or signal.
function stop(p) {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode ?? p.signalCode);
  return new Promise((resolve) => {
    p.once('exit', (code, signal) => resolve(code ?? signal));
    p.kill('SIGTERM');
  });
}

function stopAll() {
  return Promise.all(children.map(stop));
}

// ---- TAP ------------------------------------------------------------------

const cases = [];
function test(name, fn) { cases.push({ name, fn }); }
function check(cond, what) { if (!cond) throw new Error(what); }

// Each case is a function of the shared state below; later ones build on
// earlier ones (the account that signs up is the one that comments).
const S = { dialogs: [], pageErrors: [], cspErrors: [] };

async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

function watch(page) {
  page.on('dialog', (d) => { S.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => S.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) S.cspErrors.push(m.text());
  });
}

// The body's computed colours and their WCAG contrast ratio.
const bodyColours = (page) => page.evaluate(() => {
  const cs = getComputedStyle(document.body);
  const lum = (c) => {
    const [r, g, b] = c.match(/\d+/g).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(cs.color), lum(cs.backgroundColor)].sort((a, b) => b - a);
  return { fg: cs.color, bg: cs.backgroundColor, contrast: (hi + 0.05) / (lo + 0.05) };
});

async function articleIdByTitle(page, re) {
  await page.goto(S.base + 'latest');
  const links = page.locator('main ol.cards h3 a', { hasText: re });
  check(await links.count() === 1, `one article titled ${re} on /latest`);
  return /\/articles\/(\d+)$/.exec(await links.getAttribute('href'))[1];
}

async function signUp(page, name) {
  await page.goto(S.base + 'signup');
  const csrf = await page.locator('form input[name="csrf"]').first().inputValue();
  check(/^[0-9a-f]{64}$/.test(csrf), `sign-up form has a CSRF token (${csrf})`);
  await page.fill('input[name="name"]', name);
  await page.fill('input[name="password"]', 'correct horse battery staple');
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/signup')),
    page.locator('main form button[type="submit"]').click()]);
  check((await page.locator('header .who').textContent()) === name,
    `the header names the signed-in reader ${name}`);
}

test('home: landmarks and headline links', async () => {
  const { page } = S;
  const res = await page.goto(S.base);
  check(res.status() === 200, `home status ${res.status()}`);
  for (const sel of ['header', 'main', 'nav', 'footer'])
    check(await page.locator(sel).count() >= 1, `landmark <${sel}> present`);
  check(await page.getByRole('search').count() === 1, 'a search landmark');
  // Articles of one story may be folded together on home: at least three headlines.
  const titles = await page.locator('main article h3 a').allTextContents();
  check(titles.length >= 3, `headlines on home: ${titles.length}: ${titles}`);
  check(titles.some((t) => /bridge/i.test(t)), `a bridge headline: ${titles}`);
  const hrefs = await page.locator('main article h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(hrefs.every((h) => /^\/(articles|stories)\/\d+$/.test(h)), `headlines link to articles: ${hrefs}`);
  await shot(page, 'home');
});

test('keyboard: focus is visible on links', async () => {
  const { page } = S;
  await page.goto(S.base);
  const seen = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      const cs = getComputedStyle(e);
      return { tag: e.tagName, text: e.textContent.trim(), style: cs.outlineStyle,
        width: parseFloat(cs.outlineWidth), visible: e.matches(':focus-visible') };
    });
    seen.push(f);
  }
  const links = seen.filter((f) => f.tag === 'A');
  check(links.length >= 3, `Tab moves through links: ${JSON.stringify(seen)}`);
  check(seen[0].text === 'Skip to content', `the skip link comes first: ${seen[0].text}`);
  for (const f of links)
    check(f.visible && f.style !== 'none' && f.width >= 2, `focus ring on ${f.text}: ${JSON.stringify(f)}`);
  await shot(page, 'home-keyboard-focus');
});

test('dark mode: prefers-color-scheme changes the colours, contrast stays AA', async () => {
  const { page } = S;
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(S.base);
  const light = await bodyColours(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await bodyColours(page);
  await shot(page, 'home-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  check(light.bg !== dark.bg, `background ${light.bg} in light mode, ${dark.bg} in dark mode`);
  const [r, g, b] = dark.bg.match(/\d+/g).map(Number);
  check(r + g + b < 150, `dark background is dark: ${dark.bg}`);
  for (const [mode, c] of [['light', light], ['dark', dark]])
    check(c.contrast >= 4.5, `${mode} text contrast ${c.contrast.toFixed(2)} (${c.fg} on ${c.bg})`);
});

test('article page: headline, byline, photo, body, related, comments', async () => {
  const { page } = S;
  await page.goto(S.base + 'latest');
  await Promise.all([page.waitForURL(/\/articles\/\d+$/),
    page.locator('main a', { hasText: 'Harbour bridge reopens' }).first().click()]);
  S.article = page.url();
  const main = page.locator('main');
  check((await main.locator('h1').textContent()) === 'Harbour bridge reopens after two years of repairs',
    'headline');
  check((await main.locator('article .meta .outlet').first().textContent()) === 'Harbour Post', 'outlet');
  check(/Ada Marsh/.test(await main.locator('article .meta').first().textContent()), 'author');
  const time = main.locator('article .meta time').first();
  const datetime = await time.getAttribute('datetime');
  check(datetime === '2026-11-24T08:30:00Z', `exact time in datetime: ${datetime}`);
  check((await time.getAttribute('title')) === datetime, 'exact time in the tooltip');
  // Relative ("5 hours ago") while recent, a date later: the fixture's date is fixed.
  check(/ ago$|^\d+ [A-Z][a-z]+ \d{4}$/.test(await time.textContent()),
    `human time: ${await time.textContent()}`);
  const img = main.locator('figure img').first();
  const alt = await img.getAttribute('alt');
  check(/bridge/i.test(alt), `lead image has alt text: ${alt}`);
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(),
    { timeout: WAIT_MS });
  const caption = await main.locator('figure figcaption').textContent();
  check(/bridge at dawn/.test(caption), `caption: ${caption}`);
  check(/Tom Reyes/.test(await main.locator('figure .credit').textContent()), 'photo credit');
  const paras = await main.locator('article .body p').allTextContents();
  check(paras.length >= 3, `body paragraphs: ${paras.length}`);
  check(!/Sponsored|You May Like/.test(await main.textContent()), 'page clutter was left out');
  const related = page.getByRole('heading', { name: 'Related articles' });
  check(await related.count() === 1, 'a Related articles heading');
  const relTitles = await page.locator('aside.related h3 a').allTextContents();
  check(relTitles.some((t) => /Ferry timetable/.test(t)), `related: ${relTitles}`);
  const comments = page.locator('section.comments');
  check(/No comments yet/.test(await comments.textContent()), 'No comments yet');
  await shot(page, 'article');
});

test('story page: every outlet\'s version on a timeline', async () => {
  const { page } = S;
  await page.goto(S.article);
  const link = page.locator('main .story-link a');
  check(await link.count() === 1, 'the article links its story');
  await Promise.all([page.waitForURL(/\/stories\/\d+$/), link.click()]);
  S.story = page.url();
  check((await page.locator('main h1').textContent()).trim().length > 0, 'story headline');
  check(/\d+ articles? from \d+ outlets?/.test(await page.locator('main .meta').first().textContent()),
    'article and outlet counts');
  check(await page.getByRole('heading', { name: 'Timeline' }).count() === 1, 'a Timeline heading');
  const hrefs = await page.locator('main ol.cards h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(hrefs.includes(new URL(S.article).pathname), `the story lists the article: ${hrefs}`);
  await shot(page, 'story');
});

test('outlet page lists its articles', async () => {
  const { page } = S;
  await page.goto(S.article);
  await Promise.all([page.waitForURL(/\/outlets\/\d+$/),
    page.locator('article .meta a.outlet').first().click()]);
  check(/Harbour Post/.test(await page.locator('main h1').textContent()), 'outlet heading');
  const titles = await page.locator('main article h3 a').allTextContents();
  check(titles.length === 3, `three Harbour Post articles: ${titles}`);
  check(!titles.some((t) => /orchard/i.test(t)), 'no other outlet\'s articles');
  await shot(page, 'outlet');
});

test('search: typed query, highlighted results', async () => {
  const { page } = S;
  await page.goto(S.base);
  await page.locator('#q').fill('bridge');
  await Promise.all([page.waitForURL(/\/search\?q=bridge/), page.locator('#q').press('Enter')]);
  const results = page.locator('main ol.cards > li');
  check(await results.count() >= 2, `bridge results: ${await results.count()}`);
  const marks = await page.locator('main ol.cards mark').allTextContents();
  check(marks.length >= 2 && marks.every((m) => /^bridge/i.test(m)), `highlights: ${marks}`);
  check(await page.locator('#q').inputValue() === 'bridge', 'the query stays in the box');
  await shot(page, 'search');
});

test('sign up: form with CSRF token signs the reader in', async () => {
  await signUp(S.page, 'reader1');
  await shot(S.page, 'signed-up');
});

test('comment with the script: posted without a reload, kept after one', async () => {
  const { page } = S;
  await page.goto(S.article);
  await page.evaluate(() => { window.tidingsNoReload = true; });
  const url = 'https://example.org/ferry/timetables/winter-2026/every-half-hour-from-december';
  const text = `Good to have the bridge back. Timetable: ${url}`;
  await page.fill('#comment-body', text);
  await page.getByRole('button', { name: 'Post comment' }).click();
  const item = page.locator('section.comments .comment-list li', { hasText: 'Good to have the bridge back' });
  await item.waitFor({ timeout: WAIT_MS });
  check(await page.evaluate(() => window.tidingsNoReload === true), 'the page was not reloaded');
  check(await page.locator('section.comments', { hasText: 'No comments yet' }).count() === 0,
    '"No comments yet" is gone');
  check(await item.evaluate((li) => li === document.activeElement), 'the new comment has focus');
  check((await item.locator('b.user').textContent()) === 'reader1', 'comment author');
  check(await item.locator(`a[href="${url}"]`).count() === 1, 'URL auto-linked');
  check(await page.locator('#comment-body').inputValue() === '', 'the form is empty again');
  await page.reload();
  check(await page.locator('section.comments .comment-list li', { hasText: 'Good to have the bridge back' }).count() === 1,
    'the comment is there after a reload');
  await shot(page, 'article-commented');
});

test('phone width: the article and its comments fit without sideways scrolling', async () => {
  const { page } = S;
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    await page.goto(S.article);
    const fit = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
      width: window.innerWidth, img: document.querySelector('figure img').getBoundingClientRect().right }));
    check(fit.scroll <= fit.width, `page is ${fit.scroll}px wide in a ${fit.width}px window`);
    check(fit.img <= fit.width, `lead photo ends at ${fit.img}px`);
    await shot(page, 'article-phone');
  } finally {
    await page.setViewportSize({ width: 1024, height: 768 });
  }
});

test('listen: the player loads only when asked, and plays', async () => {
  const { page } = S;
  const listenRequests = [];
  const onRequest = (r) => { if (/\/listen$/.test(r.url())) listenRequests.push(r.url()); };
  page.on('request', onRequest);
  try {
    await page.goto(S.article);
    const button = page.locator('section.listen button.listen-play');
    await button.waitFor({ timeout: WAIT_MS });
    check(await page.locator('section.listen audio').count() === 0, 'no player before the click');
    check(listenRequests.length === 0, `audio fetched before the click: ${listenRequests}`);
    const response = page.waitForResponse((r) => /\/listen$/.test(r.url()), { timeout: WAIT_MS });
    await button.click();
    const audio = page.locator('section.listen audio');
    await audio.waitFor({ timeout: WAIT_MS });
    const src = await audio.getAttribute('src');
    check(/^\/articles\/\d+\/listen$/.test(src), `player source ${src}`);
    const res = await response;
    check(res.status() === 200 || res.status() === 206, `listen status ${res.status()}`);
    check(/^audio\//.test(res.headers()['content-type']), `content type ${res.headers()['content-type']}`);
    await page.waitForFunction(() => {
      const a = document.querySelector('section.listen audio');
      return a && (a.readyState >= 1 || !a.paused) && !a.error;
    }, null, { timeout: WAIT_MS });
    const state = await audio.evaluate((a) => ({ ready: a.readyState, paused: a.paused,
      duration: a.duration, error: a.error && a.error.code }));
    check(state.error === null && state.duration > 1, `player state ${JSON.stringify(state)}`);
    await shot(page, 'article-listen');
  } finally {
    page.off('request', onRequest);
  }
});

test('xss: hostile feed, article and comment stay inert', async () => {
  const { page } = S;
  const id = await articleIdByTitle(page, /Council votes on bridge tolls/);
  const hostile = '<script>alert("comment")</script><img src=x onerror=alert("comment")>Tolls again';
  await page.goto(`${S.base}articles/${id}`);
  await page.fill('#comment-body', hostile);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.locator('.comment-list li', { hasText: 'Tolls again' }).waitFor({ timeout: WAIT_MS });
  await page.reload();
  const paths = ['', 'latest', 'outlets', `articles/${id}`, 'search?q=tolls',
    new URL(S.story).pathname.slice(1)];
  const outlet = await page.locator('article .meta a.outlet').first().getAttribute('href');
  paths.push(outlet.slice(1));
  for (const p of paths) {
    await page.goto(S.base + p);
    const found = await page.evaluate(() => {
      const bad = [];
      for (const s of document.scripts)
        if (!/^\/static\/app\.js\?v=[0-9a-f]{8}$/.test(s.getAttribute('src') || ''))
          bad.push('script ' + s.outerHTML.slice(0, 80));
      for (const e of document.querySelectorAll('*')) {
        for (const a of e.attributes)
          if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)) bad.push(e.outerHTML.slice(0, 80));
      }
      for (const i of document.querySelectorAll('img[src="x"], iframe')) bad.push(i.outerHTML);
      return bad;
    });
    check(found.length === 0, `/${p}: injected markup ${JSON.stringify(found)}`);
    if (p === `articles/${id}`) {
      check(/onerror=alert\("title"\)/.test(await page.locator('main h1').textContent()),
        'the hostile title is shown as text');
      check(await page.locator('.comment-list li', { hasText: '<script>alert("comment")</script>' }).count() === 1,
        'the hostile comment is shown as text');
      await shot(page, 'article-hostile');
    }
  }
  check(S.dialogs.length === 0, `dialogs opened: ${S.dialogs}`);
});

test('without JavaScript: the form posts, the native player is there', async () => {
  // The signed-in reader's cookies, in a context where no script runs.
  const ctx = await S.browser.newContext({ javaScriptEnabled: false,
    storageState: await S.context.storageState() });
  try {
    const page = await ctx.newPage();
    watch(page);
    await page.goto(S.article);
    check(await page.locator('section.listen audio[controls][src$="/listen"]').count() === 1,
      'the Listen section keeps its <audio controls> player');
    await page.fill('#comment-body', 'Posted the old way, with no script at all.');
    await Promise.all([page.waitForURL(/\/articles\/\d+#c\d+$/),
      page.getByRole('button', { name: 'Post comment' }).click()]);
    const item = page.locator('.comment-list li', { hasText: 'Posted the old way' });
    check(await item.count() === 1, 'the comment is on the page the form led to');
    check((await item.locator('b.user').textContent()) === 'reader1', 'comment author');
    await shot(page, 'article-nojs');
  } finally {
    await ctx.close();
  }
});

test('no script errors and no CSP violations on any page', async () => {
  check(S.pageErrors.length === 0, `page errors: ${S.pageErrors}`);
  check(S.cspErrors.length === 0, `CSP violations: ${S.cspErrors}`);
  check(S.dialogs.length === 0, `dialogs: ${S.dialogs}`);
});

test('shutdown: serve exits 0 on SIGTERM with no sanitizer report', async () => {
  await S.context.close();
  S.context = null;
  const code = await stop(S.server.proc);
  const log = S.server.stderr();
  const report = /(AddressSanitizer|LeakSanitizer|runtime error:)[^\n]*/.exec(log);
  check(!report, `sanitizer report from serve: ${report && report[0]}`);
  check(code === 0, `serve exit status ${code}: ${log.slice(-1000)}`);
  const requests = log.split('\n').filter((l) => /\bstatus=\d{3}\b/.test(l)).length;
  check(requests > 0, 'serve logged the requests');
});

// ---- main -----------------------------------------------------------------

async function setup() {
  S.tmp = mkdtempSync(join(tmpdir(), 'tidings-browser-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const env = { ...process.env, XDG_CACHE_HOME: join(S.tmp, 'cache') };
  const db = join(S.tmp, 'reader.db');
  const fixture = await startServer([FIXTURE, '--dir', WWW], env);
  for (const feed of ['harbour/feed.xml', 'valley/feed.atom'])
    await run(TIDINGS, ['add', fixture.base + feed, '--allow-private', '--db', db], { env });
  await run(TIDINGS, ['crawl', '--once', '--db', db], { env });
  S.server = await startServer([TIDINGS, 'serve', '--db', db, '--no-crawl', '--listen', '127.0.0.1:0',
    '--cache-dir', join(S.tmp, 'cache')], env);
  S.base = S.server.base;
  S.profile = join(S.tmp, 'chromium-profile');
  S.context = await chromium.launchPersistentContext(S.profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1024, height: 768 },
  });
  S.browser = S.context.browser();
  S.page = S.context.pages()[0] || await S.context.newPage();
  S.page.setDefaultTimeout(WAIT_MS);
  watch(S.page);
}

async function main() {
  let failed = 0, ready = false;
  console.log(`1..${cases.length}`);
  try {
    const t0 = Date.now();
    await setup();
    console.log(`# setup (fixture, crawl, serve, chromium) took ${Date.now() - t0} ms`);
    ready = true;
  } catch (e) {
    for (let i = 0; i < cases.length; i++)
      console.log(`not ok ${i + 1} - ${cases[i].name} # setup failed`);
    console.log(`# ${String(e.stack || e).split('\n').join('\n# ')}`);
    failed = cases.length;
  }
  for (let i = 0; ready && i < cases.length; i++) {
    const t0 = Date.now();
    try {
      await cases[i].fn();
      console.log(`ok ${i + 1} - ${cases[i].name}`);
      console.log(`# ${Date.now() - t0} ms`);
    } catch (e) {
      failed++;
      console.log(`not ok ${i + 1} - ${cases[i].name}`);
      console.log(`# ${String(e.message || e).split('\n').join('\n# ')}`);
      if (S.page) await shot(S.page, `failed-${i + 1}`).catch(() => {});
    }
  }
  if (S.context) await S.context.close().catch(() => {});
  await stopAll();
  if (S.tmp) rmSync(S.tmp, { recursive: true, force: true });
  return failed;
}

const timer = setTimeout(() => {
  console.log('# Bail out! the browser test took over 240 s');
  stopAll();
  process.exit(1);
}, 240000);
const failed = await main().catch((e) => { console.log(`# ${e.stack || e}`); stopAll(); return 1; });
clearTimeout(timer);
process.exit(failed ? 1 : 0);
