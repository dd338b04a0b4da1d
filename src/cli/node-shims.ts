// pg decides at import time whether it runs on Cloudflare Workers. Without a global `navigator`
// (Node 20; Node 21+ has one) it probes with `new Response()`, which loads Node's bundled fetch
// implementation (~20 ms of start-up). Provide what Node 21+ provides so the probe is skipped.
if (!('navigator' in globalThis)) {
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` },
    configurable: true,
    writable: true,
    enumerable: false,
  });
}
export {};
