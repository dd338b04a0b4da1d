import { loadSrc } from './load-src.mjs';
const m = await loadSrc(['engine/project', 'db/url', 'headless/status']);
const url = 'postgres://postgres@127.0.0.1:55432/st?sslmode=disable';
const out = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const p = await m['engine/project'].openProject('/tmp/speedpg/m10k', m['db/url'].parseDatabaseUrl(url));
  const t1 = performance.now();
  const st = await p.readState();
  const t2 = performance.now();
  const status = p.status(st);
  const t3 = performance.now();
  const text = m['headless/status'].statusText(p, status);
  const t4 = performance.now();
  await p.close();
  out.push([t1 - t0, t2 - t1, t3 - t2, t4 - t3].map((x) => x.toFixed(1)).join(' '));
}
console.log('open readState status text\n' + out.join('\n'));
