/**
 * @module
 * One image request at a time per isolate (`isolateGate()`), the rest queued; 503 `busy` when the line is full.
 */
export { isolateGate, isolateLoad, type IsolateGateOptions } from './isolate-gate.js';
