module.exports = (name) => `[${name}]`;
