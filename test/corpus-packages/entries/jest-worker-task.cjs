// The module the pool's children load: plain CommonJS of the app.
exports.fibonacci = (n) => { let a = 0, b = 1; for (let i = 0; i < n; i++) [a, b] = [b, a + b]; return a; };
exports.describe = (name) => `${name} in a child process: ${process.send ? 'ipc' : 'no ipc'}`;
