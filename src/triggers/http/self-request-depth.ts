import { takeSelfDepth } from "../../capabilities/outbound-http/self-requests.js";
import type { PayloadBuilder, ServingApp } from "./http-server.js";

type Jobs = ServingApp["pool"];

/**
 * Where a request becomes a job, reads the depth Wisp stamps on requests to the app itself (see
 * capabilities/outbound-http/self-requests.ts): the guest sees the request without it, and the
 * job carries it (JobHandle.chainDepth), so the self requests its guest makes count one deeper.
 * The trigger builds a job's payload, then submits the job: the depth goes from one to the other
 * keyed by the payload, which leaves the trigger's code as it is.
 */
export class SelfRequestDepth {
  private readonly depths = new WeakMap<object, number>();

  /** `build`, given the request without the stamp; remembers the depth of the payload it builds. */
  payloads(build: PayloadBuilder): PayloadBuilder {
    return (target, request) => {
      const { depth, headers } = takeSelfDepth(request.headers);
      const payload = build(target, { ...request, headers });
      if (depth > 0 && typeof payload === "object" && payload !== null) this.depths.set(payload, depth);
      return payload;
    };
  }

  /** `jobs`, with each job's depth set from its payload. */
  jobs(jobs: Jobs): Jobs {
    return {
      submit: (job) => {
        const depth =
          typeof job.payload === "object" && job.payload !== null ? this.depths.get(job.payload) : undefined;
        if (depth !== undefined) job.chainDepth = depth;
        jobs.submit(job);
      },
      cancel: (job) => jobs.cancel(job),
    };
  }
}
