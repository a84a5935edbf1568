export { P2Network } from "./p2-network.js";
