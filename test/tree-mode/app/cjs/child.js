// Started by the server as `node child.js ARGS` (spawnSync with process.execPath, and fork).
process.stdout.write(JSON.stringify({ main: require.main === module, script: require('node:path').basename(process.argv[1]), args: process.argv.slice(2) }));
