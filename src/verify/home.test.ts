// HOME in the smoke run's boot: what container engines set from the image's /etc/passwd when the image's environment has none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homeOf } from './run.ts';

test('homeOf: the home folder of the image\'s user (uid:gid or name) from the rootfs\'s /etc/passwd; none without a passwd entry', () => {
  const rootfs = mkdtempSync(join(tmpdir(), 'seabuild-home-'));
  try {
    assert.deepEqual(homeOf(rootfs, '65532:65532'), {}, 'no /etc/passwd: no HOME');
    mkdirSync(join(rootfs, 'etc'));
    // The passwd that src/image/rootfs.ts writes.
    writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n');
    assert.deepEqual(homeOf(rootfs, '65532:65532'), { HOME: '/home/nonroot' });
    assert.deepEqual(homeOf(rootfs, 'nonroot'), { HOME: '/home/nonroot' });
    assert.deepEqual(homeOf(rootfs, undefined), { HOME: '/root' }, 'no user: root, as an image without USER runs');
    assert.deepEqual(homeOf(rootfs, '1000'), {}, 'a uid without an entry');
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
});
