// Package URLs (github.com/package-url/purl-spec, PURL-TYPES.rst): the one identifier both SBOM
// formats and vulnerability databases match packages on.
import { parseReference } from '../image-reference.ts';

/** purl-spec percent-encoding: everything but unreserved characters (`@` in a scope is `%40`). */
function encode(part: string): string {
  return encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `pkg:npm/%40scope/name@1.0.0`; the scope is a namespace. */
export function npmPurl(name: string, version?: string): string {
  const [scope, bare] = name.startsWith('@') ? [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)] : [undefined, name];
  return `pkg:npm/${scope ? `${encode(scope)}/` : ''}${encode(bare)}${version ? `@${encode(version)}` : ''}`;
}

/** `pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12`, as syft and trivy write them. */
export function debPurl(name: string, version: string, architecture?: string, distro?: string): string {
  const qualifiers = [architecture ? `arch=${encode(architecture)}` : '', distro ? `distro=${encode(distro)}` : ''].filter(Boolean).join('&');
  const vendor = distro?.split('-')[0] ?? 'debian';
  return `pkg:deb/${encode(vendor)}/${encode(name)}@${encode(version)}${qualifiers ? `?${qualifiers}` : ''}`;
}

/** `pkg:generic/node@24.21.0`: no purl type exists for a runtime binary. */
export function genericPurl(name: string, version: string): string {
  return `pkg:generic/${encode(name)}@${encode(version)}`;
}

/** `pkg:oci/web@sha256%3A…?repository_url=registry/acme/web&tag=1.0.0` (PURL-TYPES: oci). */
export function ociPurl(reference: string, manifestDigest: string): string {
  const { domain, repository, tag } = parseReference(reference);
  const name = repository.split('/').at(-1)!;
  return `pkg:oci/${encode(name)}@${encode(manifestDigest)}?repository_url=${encode(`${domain}/${repository}`)}&tag=${encode(tag)}`;
}
