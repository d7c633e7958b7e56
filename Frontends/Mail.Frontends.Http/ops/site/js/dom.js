// Small DOM helpers. Everything shown from the API (remote replies above all) goes in as text, never as markup.

/** An element with properties (className, id, dataset entries as data-*, event handlers as on*) and children (nodes or text). */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node[name] = value;
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Replaces a table body's rows. */
export function fillRows(tbody, rows) {
  tbody.replaceChildren(...rows);
}

/** A table row of cells (text or nodes). */
export function row(cells, props = {}) {
  return h('tr', props, ...cells.map((cell) => h('td', {}, cell)));
}

/** A definition list's pairs. */
export function fillFacts(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '—')]));
}

export function percent(rate) {
  return `${(rate * 100).toFixed(2)}%`;
}

export function orDash(value) {
  return value === null || value === undefined ? '—' : String(value);
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** A state badge: the state as text, styled by a class per state. */
export function setState(node, state) {
  node.textContent = state;
  node.className = `state state-${state}`;
}
