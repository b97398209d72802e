// ESLint's CLI reads this from the folder it runs in (the real disk, outside the executable).
module.exports = [{ files: ['input/**/*.js'], rules: { 'no-unused-vars': 'warn', 'no-undef': 'error', semi: 'warn' } }];
