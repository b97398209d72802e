// sequelize-cli's default config file (config/config.{json,js}); the URL comes from the environment.
const url = { use_env_variable: 'DATABASE_URL', dialect: 'postgres', logging: false };
module.exports = { development: url, test: url, production: url };
