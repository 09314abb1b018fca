/**
 * The project's JupyterLab, started as `make lab` starts it (the project's config file, the kernel
 * found on PATH), and a client for its REST and websocket API as JupyterLab itself uses it: a
 * session per notebook path (so the kernel starts in the notebook's folder), execute requests
 * with their outputs, kernel interrupts.
 *
 * @example
 *   const lab = await startLab({ SI_PROFILE: 'smoke' });
 *   const kernel = await KernelSession.open(lab, 'notebooks/00-start-here.ipynb');
 *   const reply = await kernel.execute("console.log('hi')");   // reply.text === 'hi\n'
 *   await kernel.close(); await lab.stop();
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import WebSocket from 'ws';
import { projectRoot } from '../../src/paths';
import { tempDir } from './tmp';

const JUPYTER = path.join(projectRoot(), '.venv', 'bin', 'jupyter');
const KERNEL_SPEC = path.join(projectRoot(), '.venv', 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');

/** Why JupyterLab cannot be driven here, or false when it can. */
export const LAB_MISSING = !fs.existsSync(JUPYTER)
  ? `no JupyterLab at ${JUPYTER} (run make setup)`
  : !fs.existsSync(KERNEL_SPEC)
    ? 'the tslab kernel is not registered in .venv (run make setup)'
    : !fs.existsSync(path.join(projectRoot(), 'node_modules', 'sample-importance', 'dist', 'index.js'))
      ? 'the library is not built and linked (run make setup)'
      : false;

export interface Lab {
  base: string;
  token: string;
  /** An authorised request to the server's REST API. */
  api(route: string, init?: RequestInit): Promise<Response>;
  /** The server's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** JupyterLab on the project root with the project's settings; `env` adds to the environment. */
export async function startLab(env: NodeJS.ProcessEnv = {}): Promise<Lab> {
  const port = await freePort();
  const token = `si-test-${randomUUID()}`;
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    JUPYTER,
    [
      'lab',
      '--no-browser',
      `--port=${port}`,
      '--ip=127.0.0.1',
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${projectRoot()}`,
      `--config=${path.join(projectRoot(), 'jupyter', 'jupyter_server_config.py')}`,
      // CI runs as root, which Jupyter refuses without this flag (make lab adds it too).
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ],
    {
      env: {
        ...process.env,
        // As `make lab`: the kernel spec names the command `tslab`, found on PATH.
        PATH: `${path.join(projectRoot(), 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
        JUPYTER_RUNTIME_DIR: tempDir(),
        HOME: process.env.HOME ?? tempDir(),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  let exited = false;
  server.stderr.on('data', (d) => (log += d));
  const gone = new Promise<void>((resolve) =>
    server.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const api = (route: string, init: RequestInit = {}) =>
    fetch(`${base}${route}`, { ...init, headers: { Authorization: `token ${token}`, ...init.headers } });
  const lab: Lab = {
    base,
    token,
    api,
    log: () => log,
    stop: async () => {
      if (!exited) server.kill('SIGTERM');
      await gone;
    },
  };
  for (const deadline = Date.now() + 60_000; ; ) {
    if (exited) throw new Error(`JupyterLab exited before answering:\n${log.slice(-2000)}`);
    if (Date.now() > deadline) {
      await lab.stop();
      throw new Error(`JupyterLab did not answer within 60 s:\n${log.slice(-2000)}`);
    }
    try {
      if ((await api('/api/status')).ok) return lab;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A message of the kernel protocol, as far as the tests read it. */
interface KernelMessage {
  header: { msg_id: string; msg_type: string };
  parent_header: { msg_id?: string };
  content: Record<string, unknown> & { data?: Record<string, string> };
}

export interface ExecuteReply {
  status: string;
  /** Every iopub message the request caused (stream, display_data, update_display_data, error). */
  outputs: KernelMessage[];
  /** The stream text, in order. */
  text: string;
}

export class KernelSession {
  private constructor(
    private readonly lab: Lab,
    private readonly sessionId: string,
    readonly kernelId: string,
    private readonly ws: WebSocket,
  ) {}

  /** A session for the notebook at `notebookPath` (relative to the project root): its kernel starts in that folder. */
  static async open(lab: Lab, notebookPath: string): Promise<KernelSession> {
    const res = await lab.api('/api/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: notebookPath, type: 'notebook', name: '', kernel: { name: 'tslab' } }),
    });
    if (!res.ok) throw new Error(`starting a session failed: ${res.status} ${await res.text()}`);
    const session = (await res.json()) as { id: string; kernel: { id: string } };
    const url = `${lab.base.replace('http', 'ws')}/api/kernels/${session.kernel.id}/channels?token=${lab.token}`;
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new KernelSession(lab, session.id, session.kernel.id, ws);
  }

  private request(channel: 'shell', msgType: string, content: Record<string, unknown>): string {
    const msgId = randomUUID();
    this.ws.send(
      JSON.stringify({
        header: { msg_id: msgId, username: 'test', session: this.sessionId, msg_type: msgType, version: '5.3' },
        parent_header: {},
        metadata: {},
        channel,
        content,
      }),
    );
    return msgId;
  }

  /** Messages answering `msgId` until `done` says the last one came. */
  private collect(msgId: string, done: (m: KernelMessage) => boolean, onMessage?: (m: KernelMessage) => void) {
    return new Promise<KernelMessage[]>((resolve) => {
      const seen: KernelMessage[] = [];
      const listen = (raw: WebSocket.RawData) => {
        const m = JSON.parse(String(raw)) as KernelMessage;
        if (m.parent_header?.msg_id !== msgId) return;
        seen.push(m);
        onMessage?.(m);
        if (done(m)) {
          this.ws.off('message', listen);
          resolve(seen);
        }
      };
      this.ws.on('message', listen);
    });
  }

  /** Runs `code` as a cell; `onMessage` sees each message as it arrives. */
  async execute(code: string, onMessage?: (m: KernelMessage) => void): Promise<ExecuteReply> {
    const msgId = this.request('shell', 'execute_request', {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
    });
    // Outputs come on iopub, the reply on shell: done when the reply came and iopub said idle.
    let replied = false;
    let idle = false;
    const messages = await this.collect(
      msgId,
      (m) => {
        replied ||= m.header.msg_type === 'execute_reply';
        idle ||= m.header.msg_type === 'status' && m.content.execution_state === 'idle';
        return replied && idle;
      },
      onMessage,
    );
    const reply = messages.find((m) => m.header.msg_type === 'execute_reply');
    const outputs = messages.filter((m) => m.header.msg_type !== 'execute_reply' && m.header.msg_type !== 'status');
    const text = outputs
      .filter((m) => m.header.msg_type === 'stream')
      .map((m) => String(m.content.text))
      .join('');
    return { status: String(reply?.content.status), outputs, text };
  }

  /** The kernel's kernel_info reply. */
  async kernelInfo(): Promise<Record<string, unknown>> {
    const msgId = this.request('shell', 'kernel_info_request', {});
    const messages = await this.collect(msgId, (m) => m.header.msg_type === 'kernel_info_reply');
    return messages.find((m) => m.header.msg_type === 'kernel_info_reply')?.content ?? {};
  }

  /** Kernel → Interrupt, as JupyterLab sends it (through the server, which signals the kernel). */
  async interrupt(): Promise<void> {
    const res = await this.lab.api(`/api/kernels/${this.kernelId}/interrupt`, { method: 'POST' });
    if (!res.ok) throw new Error(`interrupt failed: ${res.status}`);
  }

  async close(): Promise<void> {
    this.ws.close();
    await this.lab.api(`/api/sessions/${this.sessionId}`, { method: 'DELETE' });
  }
}

/** The SVGs a cell displayed. */
export function displayedSvgs(reply: ExecuteReply): string[] {
  return reply.outputs.map((m) => m.content.data?.['image/svg+xml']).filter((s): s is string => s !== undefined);
}
