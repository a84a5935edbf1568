import { CAPABILITY_INTERFACE_VERSIONS } from "../../../../capabilities/interfaces.js";
import { mergeServed, servedAt, type ServedInterfaces } from "../../../../engine/component/served-interfaces.js";
import { SERVED_INTERFACES, releaseCandidatesServed } from "../../../../engine/wasi-p2/index.js";
import { UNVERSIONED_SPIN_INTERFACES } from "./spin1/unversioned-spin.js";

/**
 * Every interface a wasi:http component may import, with its versions: WASI 0.2's (any 0.2.x
 * release, and the release candidates Spin serves) and the capabilities', with Spin 1.4's
 * unversioned `fermyon:spin` interfaces (spin1/unversioned-spin.ts).
 */
export const WASI_HTTP_SERVED: ServedInterfaces = [
  releaseCandidatesServed(SERVED_INTERFACES),
  CAPABILITY_INTERFACE_VERSIONS,
  servedAt(UNVERSIONED_SPIN_INTERFACES, ""),
].reduce<ServedInterfaces>(mergeServed, servedAt(SERVED_INTERFACES, "0.2.0"));

/** What the executor calls: a component must export it (any 0.2.x release). */
export const INCOMING_HANDLER = "wasi:http/incoming-handler";

/** Spin 1.4's handler export, unversioned, which Spin's default executor also calls. */
export const INBOUND_HTTP = "fermyon:spin/inbound-http";
