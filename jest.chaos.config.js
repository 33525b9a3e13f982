/** The fault suite (npm run chaos): one long file, run alone, its own services (test/chaos). */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.chaos.ts'],
  maxWorkers: 1,
};
