// SBOMs of a real build (hello + ms@2.1.3 from its lockfile): both validate against the published
// JSON schemas (SPDX 2.3: test/schemas/spdx-2.3, from spdx-spec v2.3; CycloneDX 1.6: the schema
// @cyclonedx/cyclonedx-library ships), cdxgen's cdx-validate and cdx-convert read the CycloneDX
// one, and the facts in them are checked against dpkg-query, the lockfile and the node binary.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { npmTool } from './helpers/npm-tool.ts';
import { execa } from 'execa';
import { copyFixture, node24, removeFixture, repoRoot } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';

const require = createRequire(import.meta.url);
let app: string;
let spdx: any;
let cdx: any;
let spdxText: string;
let cdxText: string;

before(async () => {
  app = await copyFixture('hello');
  // hello-plus: one npm dependency (ms@2.1.3, pinned in package-lock.json) more (its README.md).
  await cp(join(repoRoot, 'test/fixtures/hello-plus'), app, { recursive: true, filter: (src) => !src.endsWith('README.md') });
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: app, stdio: 'pipe' });
  execFileSync('ln', ['-sfn', repoRoot, join(app, 'node_modules/seabuild')]);
  const built = await runSeabuild(['build', '--no-verify'], { cwd: app });
  assert.equal(built.exitCode, 0, built.all);
  spdxText = await readFile(join(app, 'dist/hello-fixture.spdx.json'), 'utf8');
  cdxText = await readFile(join(app, 'dist/hello-fixture.cdx.json'), 'utf8');
  spdx = JSON.parse(spdxText);
  cdx = JSON.parse(cdxText);
});
after(() => removeFixture(app));

test('the SPDX document validates against the SPDX 2.3 JSON schema', () => {
  const Ajv = require('ajv').default;
  const addFormats = require('ajv-formats').default;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'test/schemas/spdx-2.3/spdx-schema.json'), 'utf8')));
  assert.equal(validate(spdx), true, JSON.stringify(validate.errors, null, 2));
  assert.equal(spdx.spdxVersion, 'SPDX-2.3');
});

test('the CycloneDX BOM validates against the CycloneDX 1.6 JSON schema (strict)', async () => {
  const { Validation, Spec } = require('@cyclonedx/cyclonedx-library');
  const errors = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(cdxText);
  assert.equal(errors, null, JSON.stringify(errors, null, 2));
});

test('cdxgen reads the CycloneDX BOM: cdx-validate (schema and deep checks of refs, purls, metadata) and cdx-convert', async () => {
  const cdxValidate = await npmTool('@cyclonedx/cdxgen@12.8.4', 'cdx-validate');
  const cdxConvert = await npmTool('@cyclonedx/cdxgen@12.8.4', 'cdx-convert');
  const validated = await execa(node24, [cdxValidate, '-i', join(app, 'dist/hello-fixture.cdx.json'), '-r', 'json', '--strict', '--fail-severity', 'critical'], { reject: false });
  assert.equal(validated.exitCode, 0, validated.stderr);
  const report = JSON.parse(validated.stdout);
  assert.equal(report.schemaValid, true);
  assert.equal(report.deepValid, true);
  const converted = join(app, 'dist/converted.spdx3.json');
  const conversion = await execa(node24, [cdxConvert, '-i', join(app, 'dist/hello-fixture.cdx.json'), '-o', converted], { reject: false });
  assert.equal(conversion.exitCode, 0, conversion.stderr + conversion.stdout);
  const names = JSON.stringify(JSON.parse(readFileSync(converted, 'utf8')));
  for (const purl of ['pkg:npm/ms@2.1.3', 'pkg:generic/node@24.21.0']) assert.ok(names.includes(purl), `${purl} survives the conversion`);
});

test('npm packages carry version, licence, purl and the lockfile integrity; node its sha256', () => {
  const ms = spdx.packages.find((p: any) => p.name === 'ms');
  assert.equal(ms.versionInfo, '2.1.3');
  assert.equal(ms.licenseDeclared, 'MIT');
  assert.equal(ms.externalRefs[0].referenceLocator, 'pkg:npm/ms@2.1.3');
  const integrity = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')).packages['node_modules/ms'].integrity as string;
  assert.deepEqual(ms.checksums, [{ algorithm: 'SHA512', checksumValue: Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex') }]);
  const node = spdx.packages.find((p: any) => p.name === 'node');
  assert.equal(node.versionInfo, process.versions.node);
  assert.equal(node.checksums[0].checksumValue, createHash('sha256').update(readFileSync(node24)).digest('hex'));
  const cdxMs = JSON.stringify(cdx.components).includes('"purl":"pkg:npm/ms@2.1.3"');
  assert.ok(cdxMs);
});

test('every shared library has its Debian package, version (dpkg-query), architecture and purl; the package contains the file', (t) => {
  if (!existsSync('/var/lib/dpkg/status')) {
    if (process.env.CI === 'true') assert.fail('no dpkg database on a CI machine of the Debian kind');
    return t.skip('not a Debian system');
  }
  const version = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'libc6:amd64'], { encoding: 'utf8' });
  const libc = spdx.packages.find((p: any) => p.name === 'libc6');
  assert.equal(libc.versionInfo, version);
  assert.match(libc.externalRefs[0].referenceLocator, new RegExp(`^pkg:deb/debian/libc6@${encodeURIComponent(version).replace(/\+/g, '%2B')}\\?arch=amd64&distro=debian-\\d+$`));
  const file = spdx.files.find((f: any) => f.fileName === './usr/lib/x86_64-linux-gnu/libc.so.6');
  assert.ok(file, 'libc.so.6 is listed with its hashes');
  assert.equal(file.checksums.find((c: any) => c.algorithm === 'SHA256').checksumValue, createHash('sha256').update(readFileSync('/usr/lib/x86_64-linux-gnu/libc.so.6')).digest('hex'));
  assert.ok(spdx.relationships.some((r: any) => r.spdxElementId === libc.SPDXID && r.relationshipType === 'CONTAINS' && r.relatedSpdxElement === file.SPDXID));
});

test('the image is described with its manifest digest; /app contains node and the bundled packages', () => {
  const report = JSON.parse(readFileSync(join(app, 'dist/hello-fixture.report.json'), 'utf8'));
  const image = spdx.packages.find((p: any) => p.SPDXID === 'SPDXRef-Package-image');
  assert.equal(image.checksums[0].checksumValue, report.image.manifestDigest.slice('sha256:'.length));
  assert.ok(spdx.relationships.some((r: any) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES' && r.relatedSpdxElement === image.SPDXID));
  const appFile = spdx.files.find((f: any) => f.fileName === './app');
  const ms = spdx.packages.find((p: any) => p.name === 'ms');
  for (const inside of ['SPDXRef-Package-node', ms.SPDXID]) assert.ok(spdx.relationships.some((r: any) => r.spdxElementId === appFile.SPDXID && r.relatedSpdxElement === inside && r.relationshipType === 'CONTAINS'), inside);
  assert.equal(cdx.metadata.component.purl, image.externalRefs[0].referenceLocator);
});

test('the same inputs give the same SBOM bytes; --sbom spdx writes only SPDX; a bad --sbom names the option', async () => {
  const again = await runSeabuild(['build', '--no-verify', '--sbom', 'spdx', '--out-dir', 'dist2'], { cwd: app });
  assert.equal(again.exitCode, 0, again.all);
  assert.equal(await readFile(join(app, 'dist2/hello-fixture.spdx.json'), 'utf8'), spdxText);
  assert.equal(existsSync(join(app, 'dist2/hello-fixture.cdx.json')), false);
  const bad = await runSeabuild(['build', '--sbom', 'swid', '--no-image'], { cwd: app });
  assert.equal(bad.exitCode, 1, bad.all);
  assert.match(bad.stderr, /"sbom" must be spdx, cyclonedx/);
});
