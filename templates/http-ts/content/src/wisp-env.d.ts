// Types for what a Wisp handler can touch: the web APIs come from TypeScript's "WebWorker" lib
// (see tsconfig.json); this adds the fetch event a handler listens for.
declare function addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void;
