// Image references as docker normalises them (distribution/reference: ParseNormalizedNamed). Shared by config (the image name), the image writers and pushes, and the SBOMs' purls.
import { SeabuildError } from './errors.ts';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** A reference split into its normalised parts. */
export interface ParsedReference {
  /** e.g. `docker.io`, `localhost:5000`. */
  domain: string;
  /** e.g. `library/web`, `kitteh/web`. */
  repository: string;
  tag: string;
}

/**
 * The full `domain/path:tag` form of a reference: `web` → `docker.io/library/web:latest`,
 * `kitteh/web:0.1.0` → `docker.io/kitteh/web:0.1.0`. podman 4.3 takes the OCI ref.name annotation
 * as the whole image name (measured: a ref of `1` loads as `localhost/1:latest`), so we always write this form.
 */
export function normalizeReference(reference: string): string {
  const { domain, repository, tag } = parseReference(reference);
  return `${domain}/${repository}:${tag}`;
}

/** Splits and normalises a reference as docker does; throws IMAGE_REFERENCE_INVALID. */
export function parseReference(reference: string): ParsedReference {
  const tagAt = reference.lastIndexOf(':');
  const hasTag = tagAt > reference.lastIndexOf('/');
  const name = hasTag ? reference.slice(0, tagAt) : reference;
  const tag = hasTag ? reference.slice(tagAt + 1) : 'latest';
  const [first = '', ...rest] = name.split('/');
  const hasDomain = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const domain = hasDomain ? first : 'docker.io';
  const path = hasDomain ? rest : [first, ...rest];
  if (domain === 'docker.io' && path.length === 1) path.unshift('library');
  const valid = !reference.includes('@') && DOMAIN.test(domain) && TAG.test(tag) && path.every((part) => PATH_COMPONENT.test(part));
  if (!valid) {
    throw new SeabuildError({
      code: 'IMAGE_REFERENCE_INVALID',
      message: `${JSON.stringify(reference)} is not a valid image reference (expected [registry/]name[:tag], lower case)`,
      fix: 'set the image name in lower case letters, digits and . _ - separators, e.g. kitteh/web:0.1.0',
    });
  }
  return { domain, repository: path.join('/'), tag };
}
