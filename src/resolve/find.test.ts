import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findImageReferences, replaceSpans } from './find.ts';
import { resolveManifests } from './index.ts';
import { SeabuildError } from '../errors.ts';

const MANIFEST = `# a comment before everything
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }   # flow map, kept
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: first
              image: 'seabuild://apps/a'
          containers:
            - name: main
              image: "seabuild://apps/b"  # quoted
              args: ["seabuild://apps/a"]
---
# only a comment: skipped
---
apiVersion: v1
kind: Pod
metadata:
  name: plain
spec:
  containers:
    - image: seabuild://apps/b
      name: b
    - image: nginx:1.27
      name: untouched
`;

describe('findImageReferences', () => {
  it('finds every seabuild:// value in multi-document YAML (CronJob, initContainers, args) with its exact bytes', () => {
    const spans = findImageReferences(MANIFEST, 'm.yaml');
    assert.deepEqual(spans.map((s) => [s.path, s.line, s.quote, MANIFEST.slice(s.start, s.end)]), [
      ['apps/a', 12, "'", "'seabuild://apps/a'"],
      ['apps/b', 15, '"', '"seabuild://apps/b"'],
      ['apps/a', 16, '"', '"seabuild://apps/a"'],
      ['apps/b', 26, '', 'seabuild://apps/b'],
    ]);
  });

  it('replaces only those bytes: the rest of the file (comments, flow maps, quoting) is byte for byte the same', () => {
    const spans = findImageReferences(MANIFEST, 'm.yaml');
    const out = replaceSpans(MANIFEST, spans, (s) => `r.example/${s.path.split('/')[1]}@sha256:${'0'.repeat(64)}`);
    assert.equal(out, MANIFEST.replace(/seabuild:\/\/apps\/(a|b)/g, (_m, x: string) => `r.example/${x}@sha256:${'0'.repeat(64)}`));
  });

  it('refuses YAML that is not Kubernetes, naming the file and line', () => {
    assert.throws(() => findImageReferences('apiVersion: v1\nkind: Pod\n---\nname: not-k8s\nimage: seabuild://x\n', 'bad.yaml'),
      (error: SeabuildError) => error.code === 'RESOLVE_NOT_KUBERNETES' && error.file === 'bad.yaml' && error.line === 4);
  });

  it('refuses YAML that does not parse, with the line', () => {
    assert.throws(() => findImageReferences('apiVersion: v1\nkind: Pod\nspec: [1\n', 'broken.yaml'),
      (error: SeabuildError) => error.code === 'RESOLVE_YAML_INVALID' && error.file === 'broken.yaml' && typeof error.line === 'number');
  });
});

describe('resolveManifests', () => {
  it('a seabuild:// path that is not an app fails before any build, naming the manifest line', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'seabuild-resolve-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'apps/a'), { recursive: true });
    await writeFile(join(dir, 'apps/a/package.json'), '{"name":"a"}');
    await writeFile(join(dir, 'm.yaml'), MANIFEST);
    const built: string[] = [];
    await assert.rejects(resolveManifests({ files: ['m.yaml'], cwd: dir, buildAndPush: async (app) => { built.push(app); return 'x'; } }),
      (error: SeabuildError) => error.code === 'RESOLVE_NOT_AN_APP' && error.file === join(dir, 'm.yaml') && error.line === 15 && /apps\/b does not exist/.test(error.message));
    assert.deepEqual(built, []);
  });

  it('builds each app once however often it is named; a folder gives its YAML files in order, joined by ---', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'seabuild-resolve-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    for (const app of ['a', 'b']) { await mkdir(join(dir, 'apps', app), { recursive: true }); await writeFile(join(dir, 'apps', app, 'package.json'), `{"name":"${app}"}`); }
    await mkdir(join(dir, 'k8s'));
    await writeFile(join(dir, 'k8s/1.yaml'), MANIFEST);
    await writeFile(join(dir, 'k8s/2.yml'), 'apiVersion: v1\nkind: Pod\nspec: { containers: [{ image: seabuild://apps/a }] }');
    await writeFile(join(dir, 'k8s/notes.txt'), 'not yaml');
    const built: string[] = [];
    const resolved = await resolveManifests({ files: ['k8s'], cwd: dir, buildAndPush: async (app) => { built.push(app); return `r/${app.split('/').at(-1)}@sha256:1`; } });
    assert.deepEqual(built, [join(dir, 'apps/a'), join(dir, 'apps/b')]);
    assert.equal(resolved.files.length, 2);
    assert.ok(resolved.text.includes('\n---\napiVersion: v1\nkind: Pod\nspec: { containers: [{ image: r/a@sha256:1 }] }'));
  });
});
