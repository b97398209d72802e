// The embedded tree's ELF files (native addons, their libraries) were installed for the build
// machine; an executable for another machine must not carry them. This names the package whose
// files are of the wrong machine.
import { SeabuildError } from '../errors.ts';
import type { Embedded } from '../embed/index.ts';
import { readElfFile } from '../elf/index.ts';
import type { TargetPlatform } from './platforms.ts';

/** Throws ADDON_NO_TARGET_BUILD for the first package whose ELF files are not for `platform`. */
export async function checkTreeMachine(embedded: Embedded, platform: TargetPlatform): Promise<void> {
  for (const file of embedded.packageFiles?.files ?? []) {
    if (file.kind !== 'addon' && file.kind !== 'library' && file.kind !== 'executable') continue;
    const { machine } = await readElfFile(file.sourcePath);
    if (machine === platform.machine) continue;
    throw new SeabuildError({
      code: 'ADDON_NO_TARGET_BUILD',
      message: `package ${file.package ?? '(the app)'} carries ${file.treePath}, built for ${machine}: there is no ${platform.name} build of it in node_modules`,
      file: file.sourcePath,
      fix: `install the package's ${platform.name} build (npm install --cpu=${platform.npmCpu} --os=linux), or leave ${platform.name} out of platforms`,
    });
  }
}
