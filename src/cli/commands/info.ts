/**
 * `si info`: which engines load (with their backend, BLAS and threads) and why the others don't,
 * and which engine `auto` picks.
 *
 * @example
 *   si info
 */
import { probeEngines } from '../../engine';
import { packageVersion } from '../../version';
import { dataDir, runsDir } from '../../paths';

export async function infoCommand(): Promise<number> {
  console.log(`${packageVersion()} on Node ${process.version} (${process.platform}-${process.arch})`);
  const probed = await probeEngines();
  console.log('engines (in auto order):');
  for (const p of probed) {
    console.log(p.engine ? `  ${p.name.padEnd(7)} available: ${p.engine.backend}` : `  ${p.name.padEnd(7)} unavailable: ${p.reason}`);
  }
  const chosen = probed.find((p) => p.engine);
  console.log(`auto picks: ${chosen ? `${chosen.name} (${chosen.engine!.backend})` : 'nothing — no engine loads'}`);
  console.log(`data dir: ${dataDir()}`);
  console.log(`runs dir: ${runsDir()}`);
  return chosen ? 0 : 1;
}
