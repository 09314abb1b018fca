/**
 * The project's JupyterLab, started as `make lab` starts it, lists the tslab kernel and runs a cell
 * that imports the built library by its package name.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { KernelSession, LAB_MISSING, startLab } from '../support/jupyter';
import { PROFILE_NAMES } from '../../src/experiments/profiles';

test('a JupyterLab server from the project environment runs a tslab cell that imports the library', {
  skip: LAB_MISSING,
  timeout: 180_000,
}, async () => {
  const lab = await startLab();
  try {
    const specs = (await (await lab.api('/api/kernelspecs')).json()) as { kernelspecs: Record<string, unknown> };
    assert.ok(
      'tslab' in specs.kernelspecs,
      `tslab kernel listed by the server (has: ${Object.keys(specs.kernelspecs)})`,
    );
    const kernel = await KernelSession.open(lab, 'notebooks/00-start-here.ipynb');
    const reply = await kernel.execute(
      "import { PROFILE_NAMES, mlpSpec, paramCount } from 'sample-importance';\n" +
        "console.log(PROFILE_NAMES.join(','), paramCount(mlpSpec(784, [512, 512, 512], 10)));",
    );
    await kernel.close();
    assert.equal(reply.status, 'ok', reply.text);
    // The kernel's library lists the same profiles as this one.
    assert.match(reply.text, new RegExp(`${PROFILE_NAMES.join(',')} 932362`));
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\n--- server log tail ---\n${lab.log().split('\n').slice(-20).join('\n')}`,
    );
  } finally {
    await lab.stop();
  }
});
