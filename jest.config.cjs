// Jest runs the Grafana plugin's tests (React pages, data source) in jsdom; the relay's tests run on
// Node's own test runner (scripts/run-tests.mjs).
// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const swcTransform = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  // d3-color and other ESM-only dependencies ship .mjs files that need the same SWC transform.
  transform: { ...base.transform, '^.+\\.mjs$': swcTransform },
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/relay/', '<rootDir>/src/contract/', '<rootDir>/tests/'],
};
