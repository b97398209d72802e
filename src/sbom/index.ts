// Stage: the SBOMs. What is in the image (the node runtime, every npm package bundled or laid out,
// every Debian package a library came from, every file) as SPDX 2.3 JSON and CycloneDX 1.6 JSON,
// written beside the image archive; the push attaches them to the image (src/image/attach.ts).
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { immediateOutputs, type OutputWriter } from '../staged-outputs.ts';
import { sha256Digest } from '../image/digest.ts';
import type { SbomFormat } from '../config.ts';
import { collectInventory, type Inventory, type SbomInput } from './inventory.ts';
import { renderSpdx } from './spdx.ts';
import { renderCycloneDx } from './cyclonedx.ts';

export type { SbomFormat } from '../config.ts';

export type { SbomInput } from './inventory.ts';

/** One written SBOM document. */
export interface SbomDocument {
  format: SbomFormat;
  path: string;
  /** The IANA media type registries and tools look for (OCI artifactType). */
  mediaType: string;
  bytes: Buffer;
  digest: string;
}

/** The SBOMs of a build. */
export interface Sboms {
  inventory: Inventory;
  documents: SbomDocument[];
}

export const SBOM_MEDIA_TYPES: Record<SbomFormat, string> = { spdx: 'application/spdx+json', cyclonedx: 'application/vnd.cyclonedx+json' };
const SUFFIX: Record<SbomFormat, string> = { spdx: 'spdx.json', cyclonedx: 'cdx.json' };

/** Writes `<outDir>/<name>.spdx.json` and/or `<outDir>/<name>.cdx.json` (atomically). */
export async function writeSboms(input: SbomInput, formats: readonly SbomFormat[], outputs: OutputWriter = immediateOutputs): Promise<Sboms> {
  const inventory = await collectInventory(input);
  const documents: SbomDocument[] = [];
  for (const format of formats) {
    const value = format === 'spdx' ? renderSpdx(inventory) : renderCycloneDx(inventory);
    const bytes = Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
    const path = join(input.config.outDir, `${input.config.name}.${SUFFIX[format]}`);
    await outputs.write(path, (temp) => writeFile(temp, bytes, { mode: 0o644 }));
    documents.push({ format, path, mediaType: SBOM_MEDIA_TYPES[format], bytes, digest: sha256Digest(bytes) });
  }
  return { inventory, documents };
}
