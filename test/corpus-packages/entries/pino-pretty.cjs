// pino with a worker transport named by package: pino-pretty runs in a thread-stream worker.
const pino = require('pino');

const logger = pino({
  base: undefined,
  timestamp: false,
  transport: { target: 'pino-pretty', options: { colorize: false, destination: 1, ignore: 'pid,hostname' } },
});
logger.info({ items: 3 }, 'inventory loaded');
logger.warn('low stock');
logger.child({ module: 'orders' }).error({ orderId: 42 }, 'payment declined');
