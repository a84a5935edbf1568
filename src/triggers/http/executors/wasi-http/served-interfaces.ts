import { CAPABILITY_INTERFACE_VERSIONS } from "../../../../capabilities/interfaces.js";
import { mergeServed, servedAt, type ServedInterfaces } from "../../../../engine/component/served-interfaces.js";
import { SERVED_INTERFACES, releaseCandidatesServed } from "../../../../engine/wasi-p2/index.js";

/**
 * Every interface a wasi:http component may import, with its versions: WASI 0.2's (any 0.2.x
 * release, and the release candidates Spin serves) and the capabilities'.
 */
export const WASI_HTTP_SERVED: ServedInterfaces = mergeServed(
  mergeServed(servedAt(SERVED_INTERFACES, "0.2.0"), releaseCandidatesServed(SERVED_INTERFACES)),
  CAPABILITY_INTERFACE_VERSIONS,
);

/** What the executor calls: a component must export it (any 0.2.x release). */
export const INCOMING_HANDLER = "wasi:http/incoming-handler";
