// Installs and builds every app of test/corpus-frameworks once (npm ci, then the framework's own
// build), into the cache test/helpers/frameworks.ts shares with the tests ($SEABUILD_FRAMEWORKS_CACHE,
// default under the temp dir). CI runs this before `npm test`; the tests then find every app built.
// Usage: node scripts/build-frameworks.ts [FOLDER...]   (default: every app of the test list in entries.ts)
import { frameworks } from '../test/corpus-frameworks/entries.ts';
import { buildFramework, frameworksCache } from '../test/helpers/frameworks.ts';

const folders = process.argv.length > 2 ? process.argv.slice(2) : frameworks.map((entry) => entry.dir);
console.log(`building ${folders.join(', ')} into ${frameworksCache()}`);
// One at a time: the installs and builds each use both cores of these machines.
for (const folder of folders) {
  const built = await buildFramework(folder);
  const how = built.cached ? 'already built' : 'built';
  console.log(`${folder}: ${how} in ${built.dir} (npm ci ${built.installSeconds.toFixed(1)} s, build ${built.buildSeconds.toFixed(1)} s)`);
}
