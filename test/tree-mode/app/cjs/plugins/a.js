module.exports = () => `a: ${require('ms')(90_000)}`;
