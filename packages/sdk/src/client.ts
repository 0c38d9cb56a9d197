/**
 * @module client
 * The typed client: one method per route in `ROUTES`.
 */
import { Transport, type RetryOptions } from './http.js';
import { fileName, isUrlInput, jsonBody, toBlob, type ImageSource } from './input.js';
import { Jobs } from './jobs.js';
import { ROUTES, routePath, type RouteSpec } from './routes.js';
import type { FacesResponse, Health, ImageInfo, ModelCard, ModelSummary, SwapImage, SwapModel, Verdict, XrayOverlay, XrayResponse } from './types.js';

export type SeamlineOptions = RetryOptions & {
  /** Where the API lives, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Per-attempt timeout in ms. Default 60 000; 0 disables. */
  timeoutMs?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
};

export type CallOptions = { signal?: AbortSignal };

export type SwapOptions = CallOptions & {
  /** The face to put in. `{ url }` for an image the server fetches (then `target` must be a URL too). */
  source: ImageSource;
  /** The picture whose face is replaced. */
  target: ImageSource;
  /** Index of the face in `source` (largest first). */
  sourceFace?: number;
  /** Index of the face in `target` (largest first). */
  targetFace?: number;
  /** `classical` (default on the server) or `aei` (503 `model-unavailable` until the learned model ships). */
  model?: SwapModel;
  /** Refine occlusions with HEAR-Net (only meaningful for `aei`). */
  hear?: boolean;
  /** Picture type to ask for. Default `image/jpeg` (quality 92, as the server answers without an Accept). */
  accept?: 'image/png' | 'image/jpeg';
};

/**
 * Client for the seamline API.
 *
 * @example
 * import { Seamline } from 'seamline';
 * const client = new Seamline({ baseUrl: 'http://127.0.0.1:8787', apiKey: process.env.SEAMLINE_API_KEY });
 * const { verdict, score } = await client.xray('photo.jpg');
 */
export class Seamline {
  readonly jobs: Jobs;
  private readonly transport: Transport;

  constructor(options: SeamlineOptions) {
    this.transport = new Transport(options);
    this.jobs = new Jobs(this.transport);
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /**
   * @example
   * await client.health(); // { status: 'ok', service: 'seamline', version: '0.1.0' }
   */
  async health(options: CallOptions = {}): Promise<Health> {
    return this.json<Health>(ROUTES.health, options);
  }

  /**
   * The models the server ships: name, version, licence, where it is loaded from, file hashes.
   *
   * @example
   * const { models } = await client.models(); // [{ name: 'xray', version: '0.5.1', delivery: 'bundled', … }, …]
   */
  async models(options: CallOptions = {}): Promise<{ models: ModelSummary[] }> {
    return this.json<{ models: ModelSummary[] }>(ROUTES.models, options);
  }

  /**
   * One model card, whole: training or conversion, measured metrics, known limits.
   *
   * @example
   * const card = await client.modelCard('xray'); // card.metrics, card.limits, card.calibration …
   */
  async modelCard(name: string, options: CallOptions = {}): Promise<ModelCard> {
    return this.json<ModelCard>(ROUTES.modelCard, { ...options, params: { name } });
  }

  /**
   * Decodes the upload exactly as the scan routes do and reports format, size and orientation.
   *
   * @example
   * const { format, width, height } = await client.imageInfo(new Uint8Array(bytes));
   */
  async imageInfo(image: ImageSource, options: CallOptions = {}): Promise<ImageInfo> {
    return this.json<ImageInfo>(ROUTES.imageInfo, { ...options, body: await imageBody(image) });
  }

  /**
   * Faces (largest first) with box, 5 key points, 468 landmarks and head pose.
   *
   * @example
   * const { faces } = await client.faces('portrait.jpg');
   * const remote = await client.faces({ url: 'https://example.com/team.jpg' }); // fetched by the server
   */
  async faces(image: ImageSource, options: CallOptions = {}): Promise<FacesResponse> {
    return this.json<FacesResponse>(ROUTES.faces, { ...options, body: await imageBody(image) });
  }

  /**
   * Face X-Ray: per-face blending boundary and a calibrated fake probability. With `overlay: true`
   * the answer is the PNG with boundaries drawn over the picture.
   *
   * @example
   * const scan = await client.xray(file);                 // { verdict: 'real', score: 0.03, faces: [...] }
   * const page = await client.xray({ url: 'https://example.com/upload.jpg' });
   * const { png } = await client.xray(file, { overlay: true });
   */
  xray(image: ImageSource, options?: CallOptions & { overlay?: false }): Promise<XrayResponse>;
  xray(image: ImageSource, options: CallOptions & { overlay: true }): Promise<XrayOverlay>;
  async xray(image: ImageSource, options: CallOptions & { overlay?: boolean } = {}): Promise<XrayResponse | XrayOverlay> {
    const body = await imageBody(image);
    if (!options.overlay) return this.json<XrayResponse>(ROUTES.xray, { ...options, body });
    const res = await this.transport.send({
      route: ROUTES.xray,
      path: routePath(ROUTES.xray),
      query: { overlay: '1' },
      headers: { accept: 'image/png' },
      body,
      signal: options.signal,
    });
    const header = (name: string) => {
      const v = res.headers.get(name);
      return v && v !== 'none' ? v : null;
    };
    const score = header('x-seamline-score');
    return {
      png: new Uint8Array(await res.arrayBuffer()),
      verdict: header('x-seamline-verdict') as Verdict | null,
      score: score === null ? null : Number(score),
      scale: Number(header('x-seamline-scale') ?? 1),
    };
  }

  /**
   * Puts the face of `source` into `target` (multipart `source` + `target`; needs an API key: 401 without
   * or with a wrong one, 403 `swap-disabled` when the server has none). The answer is the full-size target,
   * watermarked and tagged as AI-made (XMP); `headers['x-seamline-model']` names the swapper.
   *
   * @example
   * const { bytes, contentType } = await client.swap({ source: 'me.jpg', target: 'poster.jpg' }); // image/jpeg
   * const png = await client.swap({ source: 'me.jpg', target: 'group.png', targetFace: 2, accept: 'image/png' });
   */
  async swap(options: SwapOptions): Promise<SwapImage> {
    const { accept = 'image/jpeg', signal } = options;
    const body = await swapBody(options);
    const res = await this.transport.send({ route: ROUTES.swap, path: routePath(ROUTES.swap), headers: { accept }, body, signal });
    return {
      bytes: new Uint8Array(await res.arrayBuffer()),
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      headers: Object.fromEntries(res.headers),
    };
  }

  private async json<T>(route: RouteSpec, { body, signal, params }: CallOptions & { body?: Blob; params?: Record<string, string> }): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = body.type || 'application/octet-stream';
    const res = await this.transport.send({ route, path: routePath(route, params), headers, body, signal });
    return (await res.json()) as T;
  }
}

/** The image itself as a typed Blob, or the JSON `{ imageUrl }` that has the server fetch it. */
async function imageBody(image: ImageSource): Promise<Blob> {
  return isUrlInput(image) ? jsonBody({ imageUrl: String(image.url) }) : toBlob(image);
}

/** Both images as multipart files, or both by URL in JSON (the server reads one body form per request); options beside them. */
async function swapBody({ source, target, sourceFace, targetFace, model, hear }: SwapOptions): Promise<Blob | FormData> {
  if (isUrlInput(source) && isUrlInput(target)) {
    return jsonBody({ sourceUrl: String(source.url), targetUrl: String(target.url), sourceFace, targetFace, model, hear });
  }
  if (isUrlInput(source) || isUrlInput(target)) throw new TypeError('swap(): give both source and target as { url }, or neither');
  const form = new FormData();
  form.set('source', await toBlob(source), fileName(source, 'source'));
  form.set('target', await toBlob(target), fileName(target, 'target'));
  if (sourceFace !== undefined) form.set('sourceFace', String(sourceFace));
  if (targetFace !== undefined) form.set('targetFace', String(targetFace));
  if (model) form.set('model', model);
  if (hear !== undefined) form.set('hear', String(hear));
  return form;
}
