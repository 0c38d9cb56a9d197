/**
 * @module plugin
 * `seamlinePlugin()` for Payload 3: scans every new or replaced image upload of the chosen upload
 * collections for face swaps (Face X-Ray through the seamline SDK), stores the result on the document
 * and flags, refuses or quarantines swaps.
 */
import { readFile } from 'node:fs/promises';
import { APIError } from 'payload';
import type { Access, CollectionBeforeChangeHook, CollectionConfig, Config, Field, PayloadRequest, Plugin, Where } from 'payload';
import { createScanner, errorScan, type ScannerOptions, type SeamlineScan } from './scan.js';

export type SeamlineMode = 'flag' | 'block' | 'quarantine';

export type SeamlinePluginOptions = ScannerOptions & {
  /** Slugs of upload collections to scan. */
  collections: string[];
  /**
   * What happens to an upload whose score reaches the threshold:
   * - `flag` (default): stored with `seamline.status = 'flagged'`;
   * - `block`: refused with an `APIError` (HTTP 422) naming the score and threshold;
   * - `quarantine`: stored with `seamline.status = 'quarantined'` and hidden from every read by non-admins.
   */
  mode?: SeamlineMode;
  /**
   * When the scanner fails (unreachable, timeout, 5xx): `false` (default) keeps the upload with
   * `status: 'error'`. `true` fails closed: `quarantine` mode stores it quarantined, the other modes refuse it (HTTP 503).
   */
  failClosed?: boolean;
  /** Who sees quarantined documents and may edit `seamline.status` (review). Default: any logged-in user. */
  isAdmin?: (req: PayloadRequest) => boolean | Promise<boolean>;
  /**
   * Import path of the admin badge module (Payload 3 resolves components by path).
   * Default `@seamline/payload-plugin/admin/VerdictBadge`. `false` leaves the badge out.
   */
  badge?: string | false;
  /** Turn scanning off (the fields stay so the schema does not change). Default true. */
  enabled?: boolean;
};

export const STATUS_VALUES = ['clean', 'flagged', 'quarantined', 'error'] as const;

const defaultIsAdmin = (req: PayloadRequest) => Boolean(req.user);

/** The `seamline` group (and the badge UI field) added to each scanned collection. */
export function seamlineFields(badge: string | false = '@seamline/payload-plugin/admin/VerdictBadge'): Field[] {
  const readOnly = { readOnly: true };
  const fields: Field[] = [
    {
      name: 'seamline',
      type: 'group',
      label: 'Seamline face-swap scan',
      admin: { description: 'Filled in by the seamline plugin when an image is uploaded or replaced. Admins may change the status (e.g. release a quarantined upload).' },
      fields: [
        { name: 'status', type: 'select', index: true, options: [...STATUS_VALUES] },
        { name: 'verdict', type: 'select', options: ['real', 'fake'], admin: readOnly },
        { name: 'score', type: 'number', admin: readOnly },
        { name: 'threshold', type: 'number', admin: readOnly },
        { name: 'provenance', type: 'text', admin: readOnly },
        { name: 'model', type: 'text', admin: readOnly },
        { name: 'faces', type: 'json', admin: readOnly },
        { name: 'boundaryThumbnail', type: 'text', admin: { ...readOnly, hidden: true } },
        { name: 'reason', type: 'text', admin: readOnly },
        { name: 'scannedAt', type: 'date', admin: { ...readOnly, date: { pickerAppearance: 'dayAndTime' } } },
      ],
    },
  ];
  if (badge !== false) {
    fields.push({
      name: 'seamlineBadge',
      type: 'ui',
      label: 'Face swap',
      admin: {
        components: {
          Cell: `${badge}#VerdictBadgeCell`,
          Field: `${badge}#VerdictBadgeField`,
        },
      },
    });
  }
  return fields;
}

/** Rows a non-admin may read: everything except quarantined documents. */
export const NOT_QUARANTINED: Where = {
  or: [{ 'seamline.status': { not_equals: 'quarantined' } }, { 'seamline.status': { exists: false } }],
};

/** Wraps a collection's `read` access so that non-admins never see quarantined documents. */
export function hideQuarantined(original: Access | undefined, isAdmin: (req: PayloadRequest) => boolean | Promise<boolean>): Access {
  return async (args) => {
    // Payload's default read access (no `access.read`) is "logged in".
    const base = original ? await original(args) : Boolean(args.req.user);
    if (!base) return false;
    if (await isAdmin(args.req)) return base;
    return base === true ? NOT_QUARANTINED : { and: [base, NOT_QUARANTINED] };
  };
}

/** Reads the bytes Payload received: `req.file.data`, or the temp file with `useTempFiles`. */
async function uploadBytes(file: NonNullable<PayloadRequest['file']>): Promise<Uint8Array | null> {
  if (file.data && file.data.length > 0) return new Uint8Array(file.data.buffer, file.data.byteOffset, file.data.byteLength);
  if (file.tempFilePath) return new Uint8Array(await readFile(file.tempFilePath));
  return null;
}

/** The `seamline` group of a document that was not scanned (not an image, or scanning off). */
const UNSCANNED = {
  status: null, verdict: null, score: null, threshold: null, faces: null, model: null,
  provenance: null, boundaryThumbnail: null, reason: null, scannedAt: null,
};

function storedScan(scan: SeamlineScan & { isFlagged?: boolean }): SeamlineScan {
  const { isFlagged: _omit, ...rest } = scan;
  return rest;
}

/** The `beforeChange` hook: scan `req.file`, store the result, apply the mode. */
export function scanUploadHook(options: SeamlinePluginOptions): CollectionBeforeChangeHook {
  const scanner = createScanner(options);
  const mode = options.mode ?? 'flag';
  const isAdmin = options.isAdmin ?? defaultIsAdmin;
  return async ({ data, req, operation, originalDoc }) => {
    const file = req.file;
    if (!file) {
      // No new file: the scan result stays as it was, except that admins may change the status (review).
      if (operation === 'update' && originalDoc) {
        const incoming = (data as { seamline?: Partial<SeamlineScan> }).seamline;
        const keep = (originalDoc as { seamline?: SeamlineScan }).seamline ?? null;
        const status = incoming?.status && (await isAdmin(req)) ? incoming.status : keep?.status;
        data.seamline = keep ? { ...keep, status } : keep;
      } else if (operation === 'create') {
        data.seamline = { ...UNSCANNED };
      }
      return data;
    }
    if (!file.mimetype?.startsWith('image/') || options.enabled === false) {
      data.seamline = { ...UNSCANNED }; // not an image (or scanning off): nothing to scan
      return data;
    }
    const bytes = await uploadBytes(file);
    const result = bytes ? await scanner.scan(bytes) : { ...errorScan(new Error('the upload has no bytes to scan')), isFlagged: false };
    const name = file.name || 'the upload';

    if (result.status === 'error') {
      req.payload.logger.warn({ msg: `seamline: could not scan ${name}: ${result.reason}` });
      if (options.failClosed) {
        if (mode === 'quarantine') {
          data.seamline = { ...storedScan(result), status: 'quarantined' };
          return data;
        }
        throw new APIError(`Upload refused: seamline could not scan ${name} (${result.reason}) and the plugin fails closed.`, 503, { seamline: storedScan(result) }, true);
      }
      data.seamline = storedScan(result);
      return data;
    }

    if (result.isFlagged) {
      if (mode === 'block') {
        const why = result.score !== null && result.threshold !== null && result.score >= result.threshold
          ? `score ${result.score.toFixed(4)} ≥ threshold ${result.threshold}`
          : 'it carries seamline swap provenance';
        throw new APIError(`Upload refused: ${name} looks like a face swap (${why}).`, 422, { seamline: storedScan(result) }, true);
      }
      data.seamline = { ...storedScan(result), status: mode === 'quarantine' ? 'quarantined' : 'flagged' };
      return data;
    }
    data.seamline = storedScan(result);
    return data;
  };
}

/**
 * Payload 3 plugin: scans image uploads for face swaps with seamline.
 *
 * @example
 * export default buildConfig({
 *   collections: [Media],
 *   plugins: [seamlinePlugin({ apiUrl: process.env.SEAMLINE_URL!, collections: ['media'], mode: 'quarantine' })],
 * });
 */
export function seamlinePlugin(options: SeamlinePluginOptions): Plugin {
  if (!options.apiUrl) throw new Error('seamlinePlugin: apiUrl is required');
  const isAdmin = options.isAdmin ?? defaultIsAdmin;
  return (config: Config): Config => {
    const wanted = new Set(options.collections);
    const found = new Set<string>();
    const collections = (config.collections ?? []).map((collection): CollectionConfig => {
      if (!wanted.has(collection.slug)) return collection;
      if (!collection.upload) throw new Error(`seamlinePlugin: collection "${collection.slug}" is not an upload collection`);
      found.add(collection.slug);
      return {
        ...collection,
        fields: [...collection.fields, ...seamlineFields(options.badge)],
        access: { ...collection.access, read: hideQuarantined(collection.access?.read, isAdmin) },
        hooks: {
          ...collection.hooks,
          beforeChange: [...(collection.hooks?.beforeChange ?? []), scanUploadHook(options)],
        },
      };
    });
    const missing = options.collections.filter((slug) => !found.has(slug));
    if (missing.length) throw new Error(`seamlinePlugin: no collection named ${missing.map((s) => `"${s}"`).join(', ')}`);
    return { ...config, collections };
  };
}
