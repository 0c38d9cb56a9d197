/**
 * @module model-cards
 * The model cards of everything this service ships, as `GET /v1/models` publishes them: what each
 * model is, where it came from, its licence, its file hashes and the figures measured on it. The
 * JSON cards in models/ are the single source (tools/model-cards.mjs renders the Markdown ones).
 */
import registry from '../models/registry.json';
import aeiLite from '../models/aei_lite.card.json';
import blazeface from '../models/blazeface.card.json';
import facemesh from '../models/facemesh.card.json';
import faceres from '../models/faceres.card.json';
import hearLite from '../models/hear_lite.card.json';
import mobilefacenet from '../models/mobilefacenet.card.json';
import xray from '../models/xray.card.json';
import { MODELS } from './models.js';

export type ModelCard = { name: string; version?: string; task: string; license: string | Record<string, string> } & Record<string, unknown>;
export type ModelFile = { path: string; dtype: string; bytes: number; sha256: string };
/** `bundled`: inside the worker; `r2`: loaded from the MODELS bucket when first used; `not-shipped`: card only. */
export type ModelDelivery = 'bundled' | 'r2' | 'not-shipped';
export type ModelSummary = { name: string; version: string | null; task: string; license: string; delivery: ModelDelivery; files: ModelFile[] };

const CARDS: readonly ModelCard[] = [blazeface, facemesh, xray, mobilefacenet, aeiLite, hearLite, faceres] as readonly ModelCard[];
const BUNDLED = new Set<string>(Object.values(MODELS).map((m) => m.name.split('.')[0]));

/** Files from the card, else from the registry (the converted face models list theirs there too). */
function filesOf(card: ModelCard): ModelFile[] {
  const own = card.files as ModelFile[] | undefined;
  const files = own?.length ? own : (registry.models as { name: string; files: ModelFile[] }[]).find((m) => m.name === card.name)?.files ?? [];
  return files.map(({ path, dtype, bytes, sha256 }) => ({ path, dtype, bytes, sha256 }));
}

export function modelSummaries(): ModelSummary[] {
  return CARDS.map((card) => {
    const files = filesOf(card);
    return {
      name: card.name,
      version: card.version ?? null,
      task: card.task,
      license: licenseText(card.license),
      delivery: BUNDLED.has(card.name) ? 'bundled' : files.length ? 'r2' : 'not-shipped',
      files,
    };
  });
}

/** Converted models state the package's licence and the upstream one apart; the summary says both in one line. */
const licenseText = (license: ModelCard['license']): string =>
  typeof license === 'string' ? license : Object.entries(license).map(([k, v]) => `${k}: ${v}`).join('; ');

/** The whole card of the model called `name`, or undefined. */
export function modelCard(name: string): ModelCard | undefined {
  return CARDS.find((card) => card.name === name);
}
