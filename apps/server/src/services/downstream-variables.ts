// The variables a trigger job passes to its downstream pipeline (Gitlab::Ci::Variables::Downstream::
// Generator), a later one winning a key: its YAML variables expanded with everything the job sees
// (`forward:yaml_variables`, default true; dotenv variables of the jobs it needs are among them, so
// `VERSION: $BUILD_VERSION` passes a dotenv value on); then, with `forward:pipeline_variables` (default
// false), the dotenv variables of those jobs themselves and the upstream pipeline's own variables.
// The downstream pipeline gets them as its pipeline variables (highest precedence).
// https://docs.gitlab.com/ci/pipelines/downstream_pipelines/#pass-cicd-variables-to-a-downstream-pipeline

import { expandExisting } from "@buildsim/ci-config";
import type { Build } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import { dependenciesOf, jobVariables, upstreamCandidates } from "./job-payload.js";

/** Variables planning adds to a parallel instance: predefined, not the job's to forward. */
const PLANNED_PREDEFINED = /^CI_(NODE_|JOB_GROUP_NAME$)/;

/** `bridge`'s variables for its downstream pipeline, by key, in GitLab's order (a key where it last came). */
export function downstreamVariables(store: Store, bridge: Build, serverUrl: string): Record<string, string> {
  const trigger = bridge.trigger;
  const out: Record<string, string> = {};
  if (!trigger) return out;
  // `calculate`'s reverse.uniq.reverse: the last value of a key wins, in its last place.
  const put = (key: string, value: string) => {
    delete out[key];
    out[key] = value;
  };
  // `bridge.dependency_variables`: the dotenv reports of the jobs it takes artifacts from (needs, stages).
  const upstream = dependenciesOf(bridge, upstreamCandidates(store, bridge));
  const expanded = Object.fromEntries(
    jobVariables(bridge, null, { store, serverUrl }, upstream).map((v) => [v.key, v.value]),
  );
  if (trigger.forwardYamlVariables) {
    for (const v of bridge.variables) {
      if (!v.public || PLANNED_PREDEFINED.test(v.key)) continue;
      // A raw (`expand: false`) value travels as written; others as the bridge sees them.
      put(v.key, v.raw ? v.value : expandExisting(v.value, expanded));
    }
  }
  if (trigger.forwardPipelineVariables) {
    for (const d of upstream)
      for (const v of d.dotenvVariables) put(v.key, expandExisting(v.value, expanded));
    for (const v of bridge.variables) if (!v.public) put(v.key, v.value);
  }
  return out;
}
