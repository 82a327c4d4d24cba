// Turning what a developer has on disk (generated records, Synthea transaction bundles,
// IG example folders) into plain resources with local `Type/id` references.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

/** Bundle types whose entries are loaded one by one; other Bundles (document, message) are stored as they are. */
const UNPACKED_BUNDLE_TYPES: ReadonlySet<string> = new Set(['transaction', 'batch', 'collection', 'searchset']);

type ResourceWithId = Resource & { id: string };

interface Unpacked {
  fullUrl?: string;
  requestUrl?: string;
  resource: Resource;
}

/**
 * Flattens resources and Bundles into resources with ids and local references:
 * - transaction, batch, collection and searchset Bundles are unpacked, nested ones too;
 * - a resource without an id takes it from its `urn:uuid:` fullUrl, its `Type/id` fullUrl or
 *   its PUT request URL, else a new UUID;
 * - references to an entry's fullUrl (Synthea's `urn:uuid:...`, or absolute URLs on another
 *   server) become `Type/id` (R4 bundle.html#references: a reference resolves against fullUrl);
 * - conditional references `Type?identifier=system|value` (later Synthea) resolve to the
 *   resource with that identifier when there is one;
 * - absolute references under `baseUrl` become relative.
 * The input is not modified; the output objects are fresh copies.
 */
export function unpackResources(
  items: ReadonlyArray<Resource | Bundle>,
  baseUrl: string,
  resolveIdentifier?: (type: string, system: string, value: string) => string | undefined,
): ResourceWithId[] {
  const entries: Unpacked[] = [];
  const visit = (item: Resource | Bundle, fullUrl?: string, requestUrl?: string) => {
    if (!item || typeof item !== 'object' || typeof item.resourceType !== 'string') return;
    if (item.resourceType === 'Bundle' && UNPACKED_BUNDLE_TYPES.has(item.type ?? '')) {
      for (const entry of (item.entry ?? []) as BundleEntry[]) {
        if (entry.resource) visit(entry.resource, entry.fullUrl, entry.request?.url);
      }
      return;
    }
    entries.push({ fullUrl, requestUrl, resource: item });
  };
  for (const item of items) visit(item);

  const localByFullUrl = new Map<string, string>();
  const localByIdentifier = new Map<string, string>();
  const withIds = entries.map(({ fullUrl, requestUrl, resource }) => {
    const id = resource.id ?? idFromUrls(resource.resourceType, fullUrl, requestUrl) ?? randomUUID();
    const local = `${resource.resourceType}/${id}`;
    if (fullUrl) localByFullUrl.set(fullUrl, local);
    for (const identifier of (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? []) {
      if (identifier?.value) {
        const key = `${resource.resourceType}?identifier=${identifier.system ?? ''}|${identifier.value}`;
        localByIdentifier.set(key, local);
      }
    }
    return { resource, id };
  });

  const base = baseUrl.replace(/\/+$/, '') + '/';
  const rewrite = (reference: string): string => {
    const local = localByFullUrl.get(reference);
    if (local) return local;
    if (reference.startsWith(base)) return reference.slice(base.length);
    const conditional = /^([A-Z][A-Za-z]+)\?identifier=([^|]*)\|(.+)$/.exec(reference);
    if (conditional) {
      const [, type, system, value] = conditional;
      const decoded = (text: string) => safeDecode(text);
      return (
        localByIdentifier.get(`${type}?identifier=${decoded(system)}|${decoded(value)}`) ??
        resolveIdentifier?.(type, decoded(system), decoded(value)) ??
        reference
      );
    }
    return reference;
  };

  return withIds.map(({ resource, id }) => ({ ...(copyWithReferences(resource, rewrite) as Resource), id }));
}

/** Reads every `*.json` file in a folder (not its subfolders), in name order. */
export async function readJsonFolder(dir: string): Promise<Array<Resource | Bundle>> {
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.json')).sort();
  const items: Array<Resource | Bundle> = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${join(dir, name)} is not valid JSON: ${(error as Error).message}`);
    }
    // Package manifests and other non-FHIR JSON files sit beside examples; skip them.
    if (json && typeof json === 'object' && typeof (json as Resource).resourceType === 'string') {
      items.push(json as Resource);
    }
  }
  return items;
}

function idFromUrls(type: string, fullUrl?: string, requestUrl?: string): string | undefined {
  const uuid = fullUrl && /^urn:uuid:([0-9a-fA-F-]{36})$/.exec(fullUrl);
  if (uuid) return uuid[1].toLowerCase();
  for (const url of [fullUrl, requestUrl]) {
    const match = url && new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?$`).exec(url);
    if (match) return match[1];
  }
  return undefined;
}

function copyWithReferences(value: unknown, rewrite: (reference: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => copyWithReferences(item, rewrite));
  if (!value || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] = key === 'reference' && typeof child === 'string' ? rewrite(child) : copyWithReferences(child, rewrite);
  }
  return copy;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
