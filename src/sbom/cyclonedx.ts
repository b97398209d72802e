// CycloneDX 1.6 JSON (cyclonedx.org/docs/1.6/json). A package's files are nested in it (the spec's
// assemblies); `dependencies` says what the app needs at run time (node and the bundled packages).
import { sha256Hex } from '../sha256.ts';
import type { Inventory, InventoryFile, InventoryPackage } from './inventory.ts';
import { isLicenseExpression } from './license.ts';
import { integrityChecksums } from './spdx.ts';

const TYPE: Record<InventoryPackage['kind'], string> = { image: 'container', app: 'application', node: 'platform', npm: 'library', deb: 'library' };
const HASH_ALG: Record<string, string> = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA384: 'SHA-384', SHA512: 'SHA-512' };

/** The CycloneDX 1.6 BOM of an inventory. */
export function renderCycloneDx(inventory: Inventory): Record<string, unknown> {
  const packages = new Map(inventory.packages.map((pkg) => [pkg.id, pkg]));
  const files = new Map(inventory.files.map((file, index) => [`file:${file.path}`, { file, ref: `file-${index}` }]));
  // A file nests under the package that contains it; packages stay at the top level, where every
  // consumer looks (cdxgen's cdx-convert 12.8 reads only top-level components).
  const parent = new Map<string, string>();
  for (const relation of inventory.relations) {
    if (relation.kind === 'contains' && packages.has(relation.from) && relation.from !== 'image' && files.has(relation.to) && !parent.has(relation.to)) parent.set(relation.to, relation.from);
  }
  const children = new Map<string, string[]>();
  for (const [child, of] of parent) children.set(of, [...(children.get(of) ?? []), child]);
  const fileComponent = (id: string) => cdxFile(files.get(id)!.file, files.get(id)!.ref);
  const components = [
    ...[...packages.values()].map((pkg) => {
      const nested = (children.get(pkg.id) ?? []).map(fileComponent);
      return nested.length ? { ...cdxPackage(pkg), components: nested } : cdxPackage(pkg);
    }),
    ...[...files.keys()].filter((id) => !parent.has(id)).map(fileComponent),
  ];
  const refOf = (id: string): string => files.get(id)?.ref ?? id;
  const bundled = inventory.packages.filter((pkg) => pkg.kind === 'npm').map((pkg) => pkg.id);
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: serialNumberOf(inventory),
    version: 1,
    metadata: {
      timestamp: inventory.created,
      tools: { components: [{ type: 'application', name: 'seabuild', version: inventory.toolVersion, purl: `pkg:npm/seabuild@${inventory.toolVersion}` }] },
      component: cdxPackage(inventory.subject),
    },
    components,
    dependencies: [
      { ref: 'image', dependsOn: ['app'] },
      { ref: 'app', dependsOn: ['node', ...bundled] },
      // An empty dependsOn, not none: cdxgen's validator (cdx-validate 12.8) reads `dependsOn.length` of every entry.
      ...[...packages.keys()].filter((id) => id !== 'app').map((id) => ({ ref: refOf(id), dependsOn: [] })),
    ],
  };
}

function cdxPackage(pkg: InventoryPackage): Record<string, unknown> {
  const hashes = [
    ...(pkg.sha256 ? [{ alg: 'SHA-256', content: pkg.sha256 }] : []),
    ...(pkg.integrity ? integrityChecksums(pkg.integrity).map((c) => ({ alg: HASH_ALG[c.algorithm]!, content: c.checksumValue })) : []),
  ];
  const license = pkg.license === undefined ? undefined : isLicenseExpression(pkg.license) ? { expression: pkg.license } : { license: { name: pkg.license } };
  const properties = [
    ...(pkg.architecture ? [{ name: 'seabuild:deb:architecture', value: pkg.architecture }] : []),
    ...(pkg.via ? [{ name: 'seabuild:npm:via', value: pkg.via }] : []),
  ];
  return {
    type: TYPE[pkg.kind],
    'bom-ref': pkg.id,
    name: pkg.name,
    ...(pkg.version ? { version: pkg.version } : {}),
    ...(pkg.description ? { description: pkg.description } : {}),
    ...(hashes.length ? { hashes } : {}),
    ...(license ? { licenses: [license] } : {}),
    purl: pkg.purl,
    ...(pkg.homepage && /^https?:\/\//.test(pkg.homepage) ? { externalReferences: [{ type: 'website', url: pkg.homepage }] } : {}),
    ...(properties.length ? { properties } : {}),
  };
}

function cdxFile(file: InventoryFile, ref: string): Record<string, unknown> {
  return {
    type: 'file',
    'bom-ref': ref,
    name: file.path,
    hashes: [{ alg: 'SHA-1', content: file.hashes.sha1 }, { alg: 'SHA-256', content: file.hashes.sha256 }],
    properties: [{ name: 'seabuild:file:size', value: String(file.sizeBytes) }],
  };
}

/** A name-based (version 5 layout) UUID from the image digest: the same image gets the same serial number. */
function serialNumberOf(inventory: Inventory): string {
  const hex = sha256Hex(`seabuild:${inventory.subject.purl}`);
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
