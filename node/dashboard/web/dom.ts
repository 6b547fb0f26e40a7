/// <reference lib="dom" />
// A tiny element builder: text always goes in as text nodes (chain strings such as endpoints and
// reasons are untrusted), attributes through setAttribute.
import { formatEther, getAddress } from 'viem';

export type Child = Node | string | number | bigint | null | undefined | false;

export function h(tag: string, attrs: Record<string, string | number | boolean | undefined> | null = null, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el: HTMLElement, children: (Child | Child[])[]): void {
  for (const c of children) {
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else if (c !== null && c !== undefined && c !== false) el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces an element's children, unless they would come out the same (keeps focus and selection). */
export function fill(el: HTMLElement, ...children: (Child | Child[])[]): void {
  const next = document.createElement(el.tagName);
  append(next, children);
  if (next.innerHTML === el.innerHTML) return;
  el.replaceChildren(...Array.from(next.childNodes));
}

const ZERO = '0x0000000000000000000000000000000000000000';

export function checksum(a: string): string {
  try {
    return getAddress(a);
  } catch {
    return a;
  }
}

/** A shortened address, the full checksummed one in its title and for screen readers. */
export function addr(a: string | undefined | null): HTMLElement {
  if (!a || a.toLowerCase() === ZERO) return h('span', { class: 'muted' }, '—');
  const full = checksum(a);
  return h('code', { class: 'addr', title: full, 'aria-label': full }, `${full.slice(0, 6)}…${full.slice(-4)}`);
}

export function eth(wei: bigint): string {
  const s = formatEther(wei);
  const [i, f = ''] = s.split('.');
  return `${i}${f ? `.${f.slice(0, 4).replace(/0+$/, '')}` : ''}`.replace(/\.$/, '') + ' ETH';
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'idle';

export function badge(text: string, tone: Tone, extra: Record<string, string> = {}): HTMLElement {
  return h('span', { class: `badge badge-${tone}`, ...extra }, text);
}

export function hash(x: string): HTMLElement {
  return h('code', { class: 'hash', title: x }, `${x.slice(0, 10)}…`);
}
