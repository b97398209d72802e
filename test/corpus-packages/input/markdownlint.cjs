// A markdownlint config as a CommonJS module on the user's disk.
module.exports = { default: true, MD004: { style: 'plus' }, MD009: false, MD032: false };
