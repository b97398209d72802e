// Stands in for `pg` when the app does not depend on it: DATABASE_URL then cannot work, and says why.
export default {};
export const Client = class {
  constructor() {
    throw new Error('DATABASE_URL is set, but this executable was built without the pg package: add "pg" to the app\'s dependencies and rebuild');
  }
};
