/** Per-component limits; `[component.ID.tool.wisp]` in the manifest sets them (see limits.ts). */
export interface ComponentLimits {
  timeoutMs: number;
  maxMemoryBytes: number;
  maxRequestBodyBytes: number;
}

export const DEFAULT_LIMITS: ComponentLimits = {
  timeoutMs: 30_000,
  maxMemoryBytes: 256 * 1024 * 1024,
  maxRequestBodyBytes: 100 * 1024 * 1024,
};
