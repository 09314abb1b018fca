import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../support/tmp';

const jupyter = path.join(projectRoot(), '.venv', 'bin', 'jupyter');
const python = path.join(projectRoot(), '.venv', 'bin', 'python');
const kernelSpec = path.join(projectRoot(), '.venv', 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');
const missing = !fs.existsSync(jupyter)
  ? `no JupyterLab at ${jupyter} (run make setup)`
  : !fs.existsSync(kernelSpec)
    ? `the tslab kernel is not registered in .venv (run make setup)`
    : !fs.existsSync(path.join(projectRoot(), 'node_modules', 'sample-importance', 'dist', 'index.js'))
      ? 'the library is not built and linked (run make setup)'
      : false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForServer(base: string, token: string, deadline: number, exited: () => boolean): Promise<void> {
  while (Date.now() < deadline) {
    if (exited()) throw new Error('JupyterLab exited before answering');
    try {
      const res = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('JupyterLab did not answer within 60 s');
}

test('a JupyterLab server from the project environment runs a tslab cell that imports the library', {
  skip: missing,
  timeout: 180_000,
}, async () => {
  const port = await freePort();
  const token = 'si-test-token';
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    jupyter,
    [
      'lab',
      '--no-browser',
      `--port=${port}`,
      '--ip=127.0.0.1',
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${projectRoot()}`,
      // CI runs as root, which Jupyter refuses without this flag.
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ],
    {
      env: {
        ...process.env,
        // The kernel spec names the command `tslab`, found on PATH as `make lab` puts it there.
        PATH: `${path.join(projectRoot(), 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
        JUPYTER_RUNTIME_DIR: tempDir(),
        HOME: process.env.HOME ?? tempDir(),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  let exited = false;
  server.stderr.on('data', (d) => (log += d));
  server.on('exit', () => (exited = true));
  try {
    await waitForServer(base, token, Date.now() + 60_000, () => exited);
    const specs = (await (
      await fetch(`${base}/api/kernelspecs`, { headers: { Authorization: `token ${token}` } })
    ).json()) as { kernelspecs: Record<string, unknown> };
    assert.ok(
      'tslab' in specs.kernelspecs,
      `tslab kernel listed by the server (has: ${Object.keys(specs.kernelspecs)})`,
    );
    const code =
      "import { PROFILE_NAMES, mlpSpec, paramCount } from 'sample-importance';\n" +
      "console.log(PROFILE_NAMES.join(','), paramCount(mlpSpec(784, [512, 512, 512], 10)));";
    const out = execFileSync(
      python,
      [path.join(projectRoot(), 'test', 'support', 'jupyter_execute.py'), base, token, 'tslab', code],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.match(out, /paper,quick,smoke 932362/);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- server log tail ---\n${log.split('\n').slice(-20).join('\n')}`);
  } finally {
    server.kill('SIGTERM');
  }
});
