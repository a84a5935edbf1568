/**
 * The order in which Rust's `BTreeMap` (std, B = 6) holds keys inserted one by one, for a
 * comparison that never says "equal". routefinder keeps Spin's routes in such a map, and its
 * comparison is not a strict total order when routes contain dots (see route-order.ts): then the
 * order depends on the tree's shape, so we grow the same tree (same node size, same split points
 * as std's `splitpoint`) and read it in order. For a consistent comparison this is plain sorting
 * with ties kept in insertion order. Runs once when the route table is built.
 */
const B = 6;
const CAPACITY = 2 * B - 1;
const KV_IDX_CENTER = B - 1;
const EDGE_IDX_LEFT_OF_CENTER = B - 1;
const EDGE_IDX_RIGHT_OF_CENTER = B;

interface Node<T> {
  keys: T[];
  /** Empty for a leaf; keys.length + 1 children otherwise. */
  edges: Node<T>[];
}

/** `compare(a, b) < 0` when a goes before b; it must never return 0. */
export function btreeOrder<T>(items: Iterable<T>, compare: (a: T, b: T) => number): T[] {
  let root: Node<T> = { keys: [], edges: [] };
  for (const item of items) {
    const split = insert(root, item, compare);
    if (split) root = { keys: [split.key], edges: [root, split.right] };
  }
  const out: T[] = [];
  walk(root, out);
  return out;
}

/** Inserts into the subtree; returns the key and right half to push up when the node split. */
function insert<T>(node: Node<T>, item: T, compare: (a: T, b: T) => number): { key: T; right: Node<T> } | undefined {
  // std's linear search: go down before the first key the new one compares below.
  let at = node.keys.findIndex((key) => compare(item, key) < 0);
  if (at < 0) at = node.keys.length;
  if (node.edges.length === 0) return place(node, at, item, undefined);
  const split = insert(node.edges[at]!, item, compare);
  return split ? place(node, at, split.key, split.right) : undefined;
}

/** Puts a key (and, in an internal node, the edge to its right) at `at`, splitting a full node. */
function place<T>(
  node: Node<T>,
  at: number,
  key: T,
  right: Node<T> | undefined,
): { key: T; right: Node<T> } | undefined {
  if (node.keys.length < CAPACITY) {
    fit(node, at, key, right);
    return undefined;
  }
  const [middle, side, index] = splitpoint(at);
  const sibling: Node<T> = { keys: node.keys.splice(middle + 1), edges: right ? node.edges.splice(middle + 1) : [] };
  const up = node.keys.pop()!;
  fit(side === "left" ? node : sibling, index, key, right);
  return { key: up, right: sibling };
}

function fit<T>(node: Node<T>, at: number, key: T, right: Node<T> | undefined): void {
  node.keys.splice(at, 0, key);
  if (right) node.edges.splice(at + 1, 0, right);
}

/** std's `splitpoint`: which key goes up, and where the new key lands. */
function splitpoint(edge: number): [number, "left" | "right", number] {
  if (edge < EDGE_IDX_LEFT_OF_CENTER) return [KV_IDX_CENTER - 1, "left", edge];
  if (edge === EDGE_IDX_LEFT_OF_CENTER) return [KV_IDX_CENTER, "left", edge];
  if (edge === EDGE_IDX_RIGHT_OF_CENTER) return [KV_IDX_CENTER, "right", 0];
  return [KV_IDX_CENTER + 1, "right", edge - (KV_IDX_CENTER + 2)];
}

function walk<T>(node: Node<T>, out: T[]): void {
  node.keys.forEach((key, i) => {
    if (node.edges.length > 0) walk(node.edges[i]!, out);
    out.push(key);
  });
  if (node.edges.length > 0) walk(node.edges[node.keys.length]!, out);
}
