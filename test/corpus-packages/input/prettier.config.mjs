// A prettier config as an ES module on the user's disk: prettier import()s it.
export default { semi: false, singleQuote: true, tabWidth: 4 };
