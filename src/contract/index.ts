export * from './profile.js';
export * from './message.js';
export * from './delivery.js';
export * from './errors.js';
