// What the Amplify end-to-end tests need around the broker: a real SMTP server on loopback that keeps the mail the
// broker sends (npm smtp-server, no TLS, no AUTH: the broker is configured with Broker:Mail:Smtp:UseTls=false), and
// the in-memory KeyValueStorage Amplify keeps its tokens in under Node.
import { SMTPServer } from 'smtp-server';

/** Starts an SMTP server on 127.0.0.1 (a free port). Returns { port, messages, nextMail(to, since), stop() }. */
export async function startMailSink() {
  const messages = [];
  const waiters = new Set();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address.toLowerCase()));
        messages.push(mail);
        for (const w of waiters) w();
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.server.address();

  /** The first mail to `to` received after message number `since` (messages.length before the call that sends it). */
  const nextMail = (to, since, timeoutMs = 10_000) => new Promise((resolve, reject) => {
    const find = () => messages.slice(since).find((m) => m.to.includes(to.toLowerCase()));
    const check = () => {
      const found = find();
      if (!found) return;
      cleanup();
      resolve(found);
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`no mail to ${to} within ${timeoutMs} ms (received: ${messages.length})`)); }, timeoutMs);
    const cleanup = () => { clearTimeout(timer); waiters.delete(check); };
    waiters.add(check);
    check();
  });

  return {
    port,
    messages,
    nextMail,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Splits a raw RFC 5322 message into subject and text body (MimeKit writes a single text/plain part, 7bit or quoted-printable). */
function parseMail(raw, to) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/im.exec(headers)?.[1] ?? '';
  let body = rest.join('\n\n');
  if (/^Content-Transfer-Encoding: quoted-printable/im.test(headers)) {
    body = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  } else if (/^Content-Transfer-Encoding: base64/im.test(headers)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { to, subject, body: body.trim(), raw };
}

/** The six-digit code (or the temporary password) a Cognito default message carries after "code is " / "password is ". */
export function codeIn(mail) {
  const m = /(?:code is|password is) (\S+?)\.? *$/m.exec(mail.body);
  if (!m) throw new Error(`no code in the mail "${mail.subject}": ${mail.body}`);
  return m[1];
}

/** Amplify's KeyValueStorageInterface in memory (Node has no localStorage). */
export class MemoryStorage {
  #items = new Map();

  async setItem(key, value) { this.#items.set(key, value); }

  async getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }

  async removeItem(key) { this.#items.delete(key); }

  async clear() { this.#items.clear(); }

  keys() { return [...this.#items.keys()]; }
}
