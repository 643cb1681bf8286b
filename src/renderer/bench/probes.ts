/**
 * Benchmark only: loaded into the running app page (same origin, so the app's CSP allows it)
 * to time what a person sees. A MutationObserver notes when the expected rows are in the DOM;
 * a requestAnimationFrame followed by a message marks the frame that painted them.
 */

export interface Timing {
  /** Input/click to the expected DOM state, ms; -1 on timeout. */
  dom: number;
  /** Input/click to after the next frame was painted, ms; -1 on timeout. */
  paint: number;
}

const RESET_QUERY = 'zzzzzzzz';

function waitFor(root: Node, cond: () => boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    if (cond()) return resolve(performance.now());
    const observer = new MutationObserver(() => {
      if (!cond()) return;
      const at = performance.now();
      observer.disconnect();
      clearTimeout(timer);
      resolve(at);
    });
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      resolve(-1);
    }, timeoutMs);
  });
}

/** Resolves after the frame following now has been painted. */
function afterPaint(): Promise<number> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(0);
    }),
  );
}

function searchBox(): HTMLInputElement {
  const input = document.querySelector('input[role="combobox"][type="search"]');
  if (!(input instanceof HTMLInputElement)) throw new Error('Champ « Rechercher un patient » absent');
  return input;
}

/** What React sees when a person types: the native value setter, then an input event. */
function typeInto(input: HTMLInputElement, value: string) {
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

const summaryText = () => document.querySelector('[data-testid="search-summary"]')?.textContent ?? '';
const resultRows = () => document.querySelector('[role="listbox"][aria-label="Résultats de la recherche"]');
/** The patient id of the first result row (rows carry their key; their DOM ids are per position). */
const firstOptionId = () => resultRows()?.querySelector<HTMLElement>('[role="option"]')?.dataset.key;
const patientRow = (id: string) => resultRows()?.querySelector<HTMLElement>(`[role="option"][data-key="${CSS.escape(id)}"]`) ?? null;

async function reset(input: HTMLInputElement, timeoutMs: number) {
  typeInto(input, RESET_QUERY);
  await waitFor(document.body, () => summaryText() === '0 patient(s)' && !firstOptionId(), timeoutMs);
  await afterPaint();
}

export interface SearchItem {
  prefix: string;
  count: number;
  firstId: string | undefined;
}

/**
 * Each prefix goes into the box as one input event after a no-match query cleared the list;
 * done when the summary shows the expected count and the first row is the expected patient.
 */
async function search(items: SearchItem[], timeoutMs = 5000): Promise<Timing[]> {
  const input = searchBox();
  const out: Timing[] = [];
  for (const item of items) {
    await reset(input, timeoutMs);
    const expectedSummary = new RegExp(`^${item.count}\\+? patient\\(s\\)$`);
    const expectedFirst = item.firstId;
    const t0 = performance.now();
    typeInto(input, item.prefix);
    const at = await waitFor(document.body, () => expectedSummary.test(summaryText()) && firstOptionId() === expectedFirst, timeoutMs);
    const painted = at < 0 ? -1 : await afterPaint();
    out.push({ dom: at < 0 ? -1 : at - t0, paint: painted < 0 ? -1 : painted - t0 });
  }
  return out;
}

export interface ChartItem {
  id: string;
  ipp: string;
  documents: number;
}

/**
 * Finds each patient by IPP (untimed), then times the click on its row until the banner shows
 * that IPP and the chart shows its documents (tab count and timeline) — and the frame is painted.
 */
async function chart(items: ChartItem[], timeoutMs = 10_000): Promise<(Timing & { banner?: number; error?: string })[]> {
  const input = searchBox();
  const out: (Timing & { banner?: number; error?: string })[] = [];
  for (const item of items) {
    await reset(input, timeoutMs);
    typeInto(input, item.ipp);
    const found = await waitFor(document.body, () => !!patientRow(item.id), timeoutMs);
    if (found < 0) {
      out.push({ dom: -1, paint: -1, error: 'ligne du patient absente' });
      continue;
    }
    await afterPaint();
    const row = patientRow(item.id)!;
    const tab = `Documents (${item.documents})`;
    const bannerShown = () => !!document.querySelector('[data-testid="identity-banner"]')?.textContent?.includes(`IPP ${item.ipp}`);
    const done = () => {
      if (!bannerShown()) return false;
      if (!document.querySelector('[data-testid="timeline"]')) return false;
      return [...document.querySelectorAll('.chart nav.tabs button')].some((b) => b.textContent === tab);
    };
    const t0 = performance.now();
    row.click();
    // The banner shows once main has granted access (the gate); the documents once the chart is read.
    const banner = await waitFor(document.body, bannerShown, timeoutMs);
    const at = banner < 0 ? -1 : await waitFor(document.body, done, timeoutMs);
    if (at < 0) {
      const denied = document.querySelector('[data-testid="access-denied"]')?.textContent;
      out.push({ dom: -1, paint: -1, error: denied ? 'accès refusé' : 'dossier non affiché à temps' });
      continue;
    }
    const painted = await afterPaint();
    out.push({ dom: at - t0, paint: painted - t0, banner: banner - t0 });
  }
  return out;
}

(globalThis as unknown as { recordProbes: unknown }).recordProbes = { search, chart };
