// An addon built against V8's C++ API (NAN, node-gyp without N-API) loads only into the Node whose
// NODE_MODULE_VERSION it was compiled for; its registration symbol carries that number
// (`node_register_module_v137`). N-API addons (`napi_register_module_v1`) load into any Node.
// Building a Node 22 executable from node_modules installed by Node 24 fails only at run time,
// so the build says it first.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import type { Warning } from '../../errors.ts';
import type { PackageFiles } from './types.ts';

/** Warnings for addons compiled for another NODE_MODULE_VERSION than the target node's. */
export async function checkAddonAbi(files: PackageFiles, nodeBinary: string): Promise<Warning[]> {
  const addons = files.files.filter((f) => f.kind === 'addon');
  if (addons.length === 0) return [];
  const result = await execa(nodeBinary, ['-p', 'process.versions.modules + " " + process.version'], { reject: false, env: { NODE_OPTIONS: '' } });
  const [target, version] = result.stdout.trim().split(' ');
  if (!target) return [];
  const warnings: Warning[] = [];
  for (const addon of addons) {
    const abi = /node_register_module_v(\d+)/.exec(readFileSync(addon.sourcePath).toString('latin1'))?.[1];
    if (abi === undefined || abi === target) continue;
    warnings.push({
      code: 'NATIVE_ADDON_ABI_MISMATCH',
      message: `${addon.treePath} was compiled for NODE_MODULE_VERSION ${abi}, but the executable's node ${version} needs ${target}: it will fail to load`,
      file: addon.sourcePath,
      fix: `reinstall ${addon.package ?? 'the package'} with the same node (PATH=$(dirname ${nodeBinary}):$PATH npm rebuild ${addon.package ?? ''}), or build with --node of version ${abi}`,
    });
  }
  return warnings;
}
