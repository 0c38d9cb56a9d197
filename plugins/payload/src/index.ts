/**
 * @module @seamline/payload-plugin
 * Payload 3 plugin that scans image uploads for face swaps with seamline, and the pieces it is built
 * from (scanner, fields, access wrapper, hook). The signed-webhook scanner for other CMSes lives in
 * `@seamline/payload-plugin/webhook`.
 */
export { seamlinePlugin, seamlineFields, scanUploadHook, hideQuarantined, NOT_QUARANTINED, STATUS_VALUES } from './plugin.js';
export type { SeamlinePluginOptions, SeamlineMode } from './plugin.js';
export { createScanner, summarize, errorScan, describeError } from './scan.js';
export type { ScannerOptions, SeamlineScan, ScanStatus, StoredFace } from './scan.js';
export { badgeModel } from './admin/badge-model.js';
export type { BadgeModel } from './admin/badge-model.js';
