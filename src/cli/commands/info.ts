/**
 * `si info`: which engines load (with their backend, BLAS and threads) and why the others don't,
 * and which engine `auto` picks.
 *
 * @example
 *   si info
 */
import { Command } from '@commander-js/extra-typings';
import { probeEngines } from '../../engine';
import { dataDir, runsDir } from '../../paths';
import { packageVersion } from '../../version';

export function infoCommand() {
  return new Command('info')
    .description('list engines, backends, BLAS and threads, and what auto picks')
    .action(async () => {
      console.log(`${packageVersion()} on Node ${process.version} (${process.platform}-${process.arch})`);
      const probed = await probeEngines();
      console.log('engines (in auto order):');
      for (const p of probed) {
        const state = p.engine ? `available: ${p.engine.backend}` : `unavailable: ${p.reason}`;
        const conv =
          p.engine && 'convBackend' in p.engine ? `\n  ${''.padEnd(7)} conv layers: ${p.engine.convBackend}` : '';
        console.log(
          `  ${p.name.padEnd(7)} ${state}${conv}` +
            `${p.notInAuto ? `\n  ${''.padEnd(7)} not picked by auto: ${p.notInAuto}` : ''}`,
        );
      }
      const chosen = probed.find((p) => p.engine && !p.notInAuto);
      console.log(
        `auto picks: ${chosen?.engine ? `${chosen.name} (${chosen.engine.backend})` : 'nothing — no engine loads'}`,
      );
      console.log(`data dir: ${dataDir()}`);
      console.log(`runs dir: ${runsDir()}`);
      if (!chosen) process.exitCode = 1;
    });
}
