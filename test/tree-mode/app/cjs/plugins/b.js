module.exports = () => `b: ${require('../../shared/label.js')('b')}`;
