// The kiosk's client of the JSON gateway: the key, the server's clock and
// calls that survive a flaky network.

const KEY = 'wenming.kiosk.key';

// The kiosk key is the only thing this app ever stores.
export function savedKey() { return localStorage.getItem(KEY) || ''; }
export function saveKey(k) { localStorage.setItem(KEY, k); }
export function forgetKey() { localStorage.removeItem(KEY); }

// wipeStorage removes everything but the kiosk key, in case anything
// else ever found its way into this origin's storage.
export function wipeStorage() {
  const k = savedKey();
  localStorage.clear();
  sessionStorage.clear();
  if (k) saveKey(k);
}

// ApiError is a refusal by the server: HTTP status, gRPC code, message and
// the ErrorInfo reason and metadata when the server gave them.
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || ('HTTP ' + status));
    this.status = status;
    this.code = body && body.code;
    this.reason = '';
    this.meta = {};
    this.fields = [];
    for (const d of (body && body.details) || []) {
      const type = d['@type'] || '';
      if (type.endsWith('google.rpc.ErrorInfo')) {
        this.reason = d.reason || '';
        this.meta = d.metadata || {};
      } else if (type.endsWith('google.rpc.BadRequest')) {
        this.fields = (d.fieldViolations || []).map(v => v.field);
      }
    }
  }
}

// offsetMs is server clock minus kiosk clock, measured from GetKiosk.
let offsetMs = 0;
export function serverNow() { return Date.now() + offsetMs; }

let onNet = () => {};
// onNetwork registers a callback told true while a call is being retried
// after a network failure, and false once it went through.
export function onNetwork(fn) { onNet = fn; }

function newRequestId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
}
export { newRequestId };

async function once(method, path, body, key) {
  const init = { method, headers: { 'Authorization': 'Bearer ' + key }, cache: 'no-store', credentials: 'omit' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  let data = null;
  try { data = await resp.json(); } catch (e) { data = null; }
  if (!resp.ok) throw new ApiError(resp.status, data);
  return { data, resp };
}

// retryable: the request may not have reached the server, or the server
// could not answer right now; a retry with the same request_id is safe.
function retryable(err) {
  if (!(err instanceof ApiError)) return true;
  // ABORTED: a concurrent change made the server give up; nothing was
  // written, so the same request may simply be sent again.
  return err.status === 502 || err.status === 503 || err.status === 504 || err.code === 10;
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

// call makes one API call. With until (a server-clock instant in ms) it
// retries network failures until then, telling onNetwork; the body must
// then carry a request_id so the server counts the call once.
export async function call(method, path, body, opts = {}) {
  const key = opts.key || savedKey();
  let wait = 400;
  for (;;) {
    try {
      const out = await once(method, path, body, key);
      onNet(false);
      return out.data;
    } catch (err) {
      if (!opts.until || !retryable(err) || serverNow() > opts.until) {
        onNet(false);
        throw err;
      }
      onNet(true);
      await sleep(wait);
      wait = Math.min(wait * 2, 3000);
    }
  }
}

// kiosk reads what the key is, and measures the clock offset from the
// middle of the round trip.
export async function kiosk(key) {
  const t0 = Date.now();
  const k = await call('GET', '/v1/kiosk', undefined, { key });
  const t1 = Date.now();
  offsetMs = Date.parse(k.serverTime) - (t0 + t1) / 2;
  return k;
}
