// A tiny element builder: views make DOM nodes with it instead of innerHTML, so a string from the
// chain (a token's name, a revert reason) is always text, never markup.

type Child = Node | string | number | bigint | null | undefined | false;

/** `<tag attrs...>children</tag>`; attributes with an undefined value are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) element.setAttribute(name, value);
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A link to a route of the page (#/tx/0x..). */
export function routeLink(
  route: string,
  text: string,
  attrs: Record<string, string | undefined> = {},
): HTMLAnchorElement {
  return h("a", { href: `#${route}`, ...attrs }, text);
}

/** A two-column table of label → value rows. */
export function detailTable(rows: readonly (readonly [string, Child])[]): HTMLTableElement {
  return h(
    "table",
    { class: "details" },
    ...rows.map(([label, value]) => h("tr", {}, h("th", {}, label), h("td", {}, value))),
  );
}

/** A table with a header row. */
export function listTable(headers: readonly string[], rows: readonly HTMLTableRowElement[]): HTMLTableElement {
  return h(
    "table",
    { class: "list" },
    h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", {}, t)))),
    h("tbody", {}, ...rows),
  );
}
