// SPDX 2.3 JSON (spdx.github.io/spdx-spec/v2.3; schema: spdx-spec schemas/spdx-schema.json at v2.3).
// Deterministic: the namespace and timestamps come from the image digest and SOURCE_DATE_EPOCH.
import type { Inventory, InventoryPackage } from './inventory.ts';
import { isLicenseExpression } from './license.ts';

const PURPOSE: Record<InventoryPackage['kind'], string> = { image: 'CONTAINER', app: 'APPLICATION', node: 'APPLICATION', npm: 'LIBRARY', deb: 'LIBRARY' };

/** The SPDX 2.3 document of an inventory. */
export function renderSpdx(inventory: Inventory): Record<string, unknown> {
  const fileIds = new Map(inventory.files.map((file, index) => [`file:${file.path}`, `SPDXRef-File-${index}`]));
  const idOf = (id: string): string => fileIds.get(id) ?? `SPDXRef-Package-${id.replace(/[^A-Za-z0-9.-]/g, '-')}`;
  const subject = inventory.subject;
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${subject.name}${subject.version ? `:${subject.version}` : ''}`,
    // Unique per image: the manifest digest (or the app when there is no image) names the document.
    documentNamespace: `https://spdx.org/spdxdocs/seabuild/${encodeURIComponent(subject.name)}/${subject.sha256 ?? encodeURIComponent(subject.version ?? '0')}`,
    creationInfo: { created: inventory.created, creators: [`Tool: seabuild-${inventory.toolVersion}`] },
    packages: [subject, ...inventory.packages].map((pkg) => spdxPackage(pkg, idOf(pkg.id))),
    files: inventory.files.map((file) => ({
      SPDXID: fileIds.get(`file:${file.path}`),
      fileName: `.${file.path}`,
      checksums: [{ algorithm: 'SHA1', checksumValue: file.hashes.sha1 }, { algorithm: 'SHA256', checksumValue: file.hashes.sha256 }],
      licenseConcluded: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
    })),
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: idOf(subject.id) },
      ...inventory.relations.map((relation) => ({
        spdxElementId: idOf(relation.from),
        relationshipType: relation.kind === 'contains' ? 'CONTAINS' : 'DEPENDS_ON',
        relatedSpdxElement: idOf(relation.to),
      })),
    ],
  };
}

function spdxPackage(pkg: InventoryPackage, spdxId: string): Record<string, unknown> {
  const checksums = [
    ...(pkg.sha256 ? [{ algorithm: 'SHA256', checksumValue: pkg.sha256 }] : []),
    ...(pkg.integrity ? integrityChecksums(pkg.integrity) : []),
  ];
  const licensed = pkg.license !== undefined && isLicenseExpression(pkg.license);
  return {
    SPDXID: spdxId,
    name: pkg.name,
    ...(pkg.version ? { versionInfo: pkg.version } : {}),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    ...(checksums.length ? { checksums } : {}),
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: licensed ? pkg.license : 'NOASSERTION',
    ...(pkg.license && !licensed ? { licenseComments: `declared as: ${pkg.license}` } : {}),
    copyrightText: 'NOASSERTION',
    ...(pkg.homepage && /^https?:\/\//.test(pkg.homepage) ? { homepage: pkg.homepage } : {}),
    ...(pkg.description ? { description: pkg.description } : {}),
    primaryPackagePurpose: PURPOSE[pkg.kind],
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl }],
    ...(pkg.via === 'bundled' ? { comment: 'bundled into the executable by esbuild' } : {}),
  };
}

/** SRI `sha512-BASE64` → SPDX checksum (hex). */
export function integrityChecksums(integrity: string): Array<{ algorithm: string; checksumValue: string }> {
  return integrity.split(/\s+/).flatMap((part) => {
    const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)$/.exec(part);
    return match ? [{ algorithm: match[1]!.toUpperCase(), checksumValue: Buffer.from(match[2]!, 'base64').toString('hex') }] : [];
  });
}
