// The token service lives in src/ (the simulated registry and the playground's docker-registry use it too).
export { startTokenServer, type TokenServer, type TokenServerOptions } from '../../src/sim/registry/token-service.js';
