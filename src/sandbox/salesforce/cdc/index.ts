/** Change Data Capture (Streaming API, CometD) for the Salesforce sandbox. */
export { attachChangeDataCapture } from './change-data-capture.js';
export type { ChangeDataCaptureHost, ChangeSource, SalesforceSandboxHooks } from './attach-target.js';
export type { ChangeDataCapture, ChangeDataCaptureStats } from './control-api.js';
export type { AccessCheck, AccessVerifier } from './access.js';
export {
  CHANGE_TYPES,
  EMPTY_RECORD_ID,
  GAP_CHANGE_TYPES,
  OVERFLOW_CHANGE_TYPE,
  type ChangeEventHeader,
  type ChangeEventMessage,
  type ChangeEventPayload,
  type ChangeEventType,
  type RetainedChangeEvent,
} from './change-event.js';
export { ALL_CHANGE_EVENTS_CHANNEL, DEFAULT_CDC_ENTITIES, entityChannel } from './channels.js';
export { REPLAY_ALL_RETAINED, REPLAY_NEW_EVENTS } from './event-log.js';
export {
  changeDataCaptureOptionsSchema,
  type ChangeDataCaptureOptions,
  type GapInput,
  type OverflowInput,
} from './options.js';
export { DEFAULT_API_VERSION, MAX_API_VERSION, MIN_API_VERSION } from './version-policy.js';
