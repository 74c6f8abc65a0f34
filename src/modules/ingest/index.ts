export { Hj212Ingest, DATA_COMMANDS, dataTimeToDate, HJ212_DEFAULTS } from './hj212-ingest.service';
export type { PacketOutcome, IngestSource, Hj212Settings, IngestHooks } from './hj212-ingest.service';
export { unitOf } from './hj212-parameters';
export { hj212Router, summarize } from './hj212.router';
export { startHj212Listener, MAX_LINE_BYTES } from './hj212.listener';
export type { Hj212Listener } from './hj212.listener';
export { registerDevice, registerDemoDevices, demoMnFor, DEMO_DEVICE_PW } from './devices';
export { hashDevicePassword, verifyDevicePassword, PasswordGuard, senderOf, WRONG_PW_LIMIT } from './device-password';
