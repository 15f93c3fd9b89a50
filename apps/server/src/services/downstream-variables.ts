// The variables a trigger job passes to its downstream pipeline (Gitlab::Ci::Variables::Downstream::
// Generator): its YAML variables expanded with everything the job sees (`forward:yaml_variables`, default
// true), then the upstream pipeline's own variables (`forward:pipeline_variables`, default false); a later
// one wins a key. The downstream pipeline gets them as its pipeline variables (highest precedence).
// https://docs.gitlab.com/ci/pipelines/downstream_pipelines/#pass-cicd-variables-to-a-downstream-pipeline

import { expandExisting } from "@buildsim/ci-config";
import type { Build } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import { dependenciesOf, jobVariables } from "./job-payload.js";

/** Variables planning adds to a parallel instance: predefined, not the job's to forward. */
const PLANNED_PREDEFINED = /^CI_(NODE_|JOB_GROUP_NAME$)/;

/** `bridge`'s variables for its downstream pipeline, by key. */
export function downstreamVariables(store: Store, bridge: Build, serverUrl: string): Record<string, string> {
  const trigger = bridge.trigger;
  const out: Record<string, string> = {};
  if (!trigger) return out;
  if (trigger.forwardYamlVariables) {
    const upstream = dependenciesOf(bridge, store.builds.listByPipeline(bridge.pipelineId));
    const expanded = Object.fromEntries(
      jobVariables(bridge, null, { store, serverUrl }, upstream).map((v) => [v.key, v.value]),
    );
    for (const v of bridge.variables) {
      if (!v.public || PLANNED_PREDEFINED.test(v.key)) continue;
      // A raw (`expand: false`) value travels as written; others as the bridge sees them.
      out[v.key] = v.raw ? v.value : expandExisting(v.value, expanded);
    }
  }
  if (trigger.forwardPipelineVariables) for (const v of bridge.variables) if (!v.public) out[v.key] = v.value;
  return out;
}
