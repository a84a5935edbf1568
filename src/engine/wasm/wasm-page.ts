/** The bytes in one page of a wasm memory, the unit its sizes are counted in. */
export const WASM_PAGE = 65_536;
